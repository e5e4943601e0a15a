"""Base models, the append-only audit event, background job progress and the
working-day calendar."""

import uuid

import pgtrigger
import uuid_utils.compat
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import action_label
from .audit_chain import seal
from .audit_syslog import forward
from .querysets import (
    EventQuerySet,
    JobQuerySet,
    NotificationQuerySet,
    PhotoQuerySet,
)


def uuid7() -> uuid.UUID:
    """A time-ordered UUID, so ids made in separate databases merge without clashes."""
    return uuid_utils.compat.uuid7()


class PublicModel(models.Model):
    """A domain record with a UUIDv7 public id used in URLs and the API."""

    public_id = models.UUIDField(
        _("public id"), default=uuid7, unique=True, editable=False
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CenterModel(PublicModel):
    """A domain record that belongs to one center (the tenant)."""

    center = models.ForeignKey(
        "org.Center",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("center"),
    )

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class Event(models.Model):
    """One audit event. Holds ids and text snapshots, never foreign keys, so
    ending or deleting anything leaves the trail untouched."""

    class Result(models.TextChoices):
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")
        DENIED = "denied", _("denied")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    center_id = models.BigIntegerField(_("center id"), null=True, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=80, blank=True)
    target_id = models.CharField(
        _("target id"), max_length=64, blank=True, db_index=True
    )
    target_repr = models.CharField(_("target"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.OK
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(
        _("previous event's hash"), max_length=64, blank=True, editable=False
    )
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        # The chain head of a center: its last event.
        indexes = [models.Index(fields=["center_id", "id"], name="event_chain")]
        triggers = [
            pgtrigger.Protect(
                name="event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        # Sealed where the row is written, so no path writes an unsealed event.
        with transaction.atomic(savepoint=False):
            seal([self])
            super().save(*args, **kwargs)
            forward([self])

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class EventArchive(models.Model):
    """One chain's events moved to an archive file: what the file holds and
    the hash the chain continues from, signed with the audit key."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    center_key = models.BigIntegerField(_("chain"))
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    first_id = models.BigIntegerField(_("first event"))
    last_id = models.BigIntegerField(_("last event"))
    count = models.PositiveIntegerField(_("events"))
    last_hash = models.CharField(_("last event's hash"), max_length=64)
    signature = models.CharField(_("signature"), max_length=64)

    class Meta:
        verbose_name = _("audit archive")
        verbose_name_plural = _("audit archives")
        ordering = ["center_key", "last_id"]

    def __str__(self) -> str:
        return self.file_name


class Job(CenterModel):
    """Progress of one piece of background work, shown to people as a bar."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    total = models.PositiveIntegerField(_("total steps"), default=0)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    message = models.TextField(_("message"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}


class CalendarYear(models.Model):
    """A year whose holidays and adjusted working days are known."""

    class Source(models.TextChoices):
        OFFICIAL = "official", _("official announcement")
        MANUAL = "manual", _("entered by the OSM office")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday rule: a public holiday on a
    weekday, or a weekend day worked in exchange (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


def _photo_path(instance, filename: str) -> str:
    return f"photos/{instance.center_id}/{instance.created_at:%Y/%m}/{filename}"


def _thumb_path(instance, filename: str) -> str:
    return f"photos/{instance.center_id}/{instance.created_at:%Y/%m}/thumbs/{filename}"


class Photo(CenterModel):
    """A photo stored through the one upload path; served only through a
    permission check."""

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("unit"),
    )
    uploaded_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    image = models.FileField(_("photo"), upload_to=_photo_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_thumb_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    thumbnail_sha256 = models.CharField(
        _("thumbnail SHA-256"), max_length=64, blank=True
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.caption or str(self.public_id)


class Notification(PublicModel):
    """A message in a person's notification center, linking to what it is about."""

    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "read_at"], name="notification_unread")
        ]

    def __str__(self) -> str:
        return self.title
