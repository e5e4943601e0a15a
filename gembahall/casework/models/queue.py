"""The queue side: ticket sources, tickets, their events and the API tokens
that push them."""

import base64
import hmac

from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import CenterModel

from ..querysets import (
    ApiTokenQuerySet,
    SourceQuerySet,
    TicketEventQuerySet,
    TicketQuerySet,
)


class Source(CenterModel):
    """A queue-and-call or case system a center takes records from, with the
    column mapping its exports need (the import profile)."""

    class Kind(models.TextChoices):
        TICKETS = "tickets", _("queue tickets")
        CASES = "cases", _("cases")

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("records"), max_length=10, choices=Kind.choices)
    columns = models.JSONField(
        _("column mapping"),
        default=dict,
        blank=True,
        help_text=_("Field → header in the export, where automatic matching misses."),
    )
    statuses = models.JSONField(
        _("status words"),
        default=dict,
        blank=True,
        help_text=_("Word in the export → status, beyond the common ones."),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source system")
        verbose_name_plural = _("source systems")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "kind", "name"], name="source_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Ticket(CenterModel):
    """One queue ticket, from taking the number to the end of service. The key
    is center + source + ticket number + local day taken."""

    class Status(models.TextChoices):
        WAITING = "", _("not finished")
        SERVED = "served", _("served")
        NO_SHOW = "no_show", _("no-show")
        RETURNED = "returned", _("returned")
        TRANSFERRED = "transferred", _("transferred")

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    ticket_no = models.CharField(_("ticket number"), max_length=30)
    day = models.DateField(_("day taken"))
    business = models.CharField(_("business type"), max_length=120, blank=True)
    service_item = models.ForeignKey(
        "casework.ServiceItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service item"),
    )
    window = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    staff = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )
    staff_no = models.CharField(_("staff number"), max_length=30, blank=True)
    taken_at = models.DateTimeField(_("taken at"))
    called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.WAITING,
        blank=True,
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["-taken_at"]
        # Keyed by number first: a rating's ticket is found by center and
        # number alone, whichever system issued it.
        constraints = [
            models.UniqueConstraint(
                fields=["center", "ticket_no", "day", "source"], name="ticket_key"
            )
        ]
        indexes = [models.Index(fields=["center", "day"], name="ticket_center_day")]

    def __str__(self) -> str:
        return f"{self.ticket_no} {self.day}"

    @property
    def rating_token(self) -> str:
        """The secret the ticket's rating link carries beside its number, so
        the number alone (guessable) rates nothing."""
        return rating_token(self.public_id)

    def rating_token_matches(self, token: str) -> bool:
        """Compared in constant time; a token made under a retired
        SECRET_KEY (kept in SECRET_KEY_FALLBACKS) still opens the page."""
        keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        return any(
            hmac.compare_digest(rating_token(self.public_id, key), token)
            for key in keys
        )


RATING_TOKEN_SALT = "gembahall.casework.Ticket.rating_token"


def rating_token(public_id, secret=None) -> str:
    """A keyed hash of the ticket's public id: 96 bits, 16 URL-safe
    characters, fixed when the ticket is made and never stored, so tickets
    imported in bulk have one without a write."""
    digest = salted_hmac(
        RATING_TOKEN_SALT, str(public_id), secret=secret, algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


class ApiToken(CenterModel):
    """A per-center key for queue systems and rating pads; only its SHA-256
    is stored, the key itself is shown once."""

    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True)
    source = models.ForeignKey(
        "casework.Source",
        on_delete=models.PROTECT,
        related_name="tokens",
        verbose_name=_("source system"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TicketEvent(models.Model):
    """One event pushed by a queue system, kept once by its event id."""

    class Kind(models.TextChoices):
        TAKEN = "taken", _("taken")
        CALLED = "called", _("called")
        STARTED = "started", _("started")
        FINISHED = "finished", _("finished")

    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(
        "casework.Source", on_delete=models.PROTECT, related_name="+"
    )
    event_id = models.CharField(_("event id"), max_length=64)
    ticket = models.ForeignKey(
        "casework.Ticket", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("time"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects = TicketEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_id"], name="ticket_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


# ── Rollups: kept up to date by imports and events, read by every KPI page ──
