"""Writing standards: drafts, reference photos, publishing, acknowledgements."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record, snapshot
from gembahall.core.notify import notify_holders
from gembahall.core.photos import decodes_photos_first, photo_store

from .models import Acknowledgement, ReferencePhoto, Standard, StandardVersion
from .queries import person_profile
from .signals import version_published

META_FIELDS = (
    "title",
    "domain",
    "chapter",
    "five_s",
    "unit_kinds",
    "roles",
    "season_from",
    "season_to",
)


def _tell_publishers(actor, version: StandardVersion) -> None:
    """A draft waits for whoever may publish it."""
    notify_holders(
        "standards.publish",
        center=version.center,
        exclude=[actor],
        kind="standard.draft",
        title=_("A standard draft to publish: %(version)s") % {"version": version},
        url=reverse("standards:version_edit", args=[version.public_id]),
    )


@transaction.atomic
def standard_create(
    *, actor, center, code: str, body: str, units=(), tell=True, **meta
):
    """A new standard with its first version as a draft; `tell=False` when the
    caller publishes it at once (the starter set)."""
    actor.require("standards.edit", center=center)
    if Standard.objects.filter(center=center, code=code).exists():
        raise ValidationError({"code": _("A standard with this code exists.")})
    standard = Standard(center=center, code=code, **meta)
    standard.full_clean(exclude=["current", "units"])
    standard.save()
    standard.units.set(units)
    version = StandardVersion.objects.create(
        center=center, standard=standard, number=1, body=body, written_by=actor
    )
    event_record(
        actor=actor, action="standard.create", target=standard, after=snapshot(version)
    )
    if tell:
        _tell_publishers(actor, version)
    return standard


@transaction.atomic
def standard_update(*, actor, standard: Standard, units=None, **meta) -> Standard:
    """Change what a standard covers and where it sits; the body lives in versions."""
    actor.require("standards.edit", center=standard.center)
    before = snapshot(standard)
    for field in META_FIELDS:
        if field in meta:
            setattr(standard, field, meta[field])
    standard.full_clean(exclude=["current", "units"])
    standard.save()
    if units is not None:
        standard.units.set(units)
    event_record(
        actor=actor,
        action="standard.update",
        target=standard,
        before=before,
        after=snapshot(standard),
    )
    return standard


@transaction.atomic
def version_draft(*, actor, standard: Standard) -> StandardVersion:
    """Start the next version from the published one, photos included; an
    existing draft is returned as it is."""
    actor.require("standards.edit", center=standard.center)
    draft = standard.versions.filter(state=StandardVersion.State.DRAFT).first()
    if draft:
        return draft
    source = standard.current or standard.versions.order_by("-number").first()
    draft = StandardVersion.objects.create(
        center=standard.center,
        standard=standard,
        number=source.number + 1,
        body=source.body,
        written_by=actor,
    )
    ReferencePhoto.objects.bulk_create(
        ReferencePhoto(
            center=standard.center,
            version=draft,
            photo_id=p.photo_id,
            caption=p.caption,
            position=p.position,
            is_example=p.is_example,
        )
        for p in source.photos.all()
    )
    event_record(actor=actor, action="standard.draft", target=draft)
    _tell_publishers(actor, draft)
    return draft


def _require_draft(version: StandardVersion) -> None:
    if not version.is_draft:
        raise ValidationError(_("Only a draft can be changed."))


@transaction.atomic
def version_update(
    *, actor, version: StandardVersion, body: str, change_note: str = ""
) -> StandardVersion:
    actor.require("standards.edit", center=version.center)
    _require_draft(version)
    if not body.strip():
        raise ValidationError({"body": _("Write what the standard requires.")})
    before = snapshot(version)
    version.body, version.change_note = body, change_note
    version.save(update_fields=["body", "change_note", "updated_at"])
    event_record(
        actor=actor,
        action="standard.edit",
        target=version,
        before=before,
        after=snapshot(version),
    )
    return version


@decodes_photos_first
@transaction.atomic
def reference_photo_add(
    *, actor, version: StandardVersion, upload, caption: str, is_example=False
) -> ReferencePhoto:
    actor.require("standards.edit", center=version.center)
    _require_draft(version)
    photo = photo_store(
        actor=actor, center=version.center, upload=upload, caption=caption
    )
    ref = ReferencePhoto.objects.create(
        center=version.center,
        version=version,
        photo=photo,
        caption=caption,
        position=version.photos.count(),
        is_example=is_example,
    )
    event_record(actor=actor, action="standard.photo_add", target=version)
    return ref


@transaction.atomic
def reference_photo_remove(*, actor, ref: ReferencePhoto) -> None:
    actor.require("standards.edit", center=ref.center)
    _require_draft(ref.version)
    event_record(
        actor=actor,
        action="standard.photo_remove",
        target=ref.version,
        before={"photo": str(ref.photo.public_id), "caption": ref.caption},
    )
    ref.delete()


@transaction.atomic
def version_publish(
    *, actor, version: StandardVersion, effective_from: date | None = None
) -> StandardVersion:
    """Publish a draft (the director's decision); the version it replaces is
    superseded the day before the new one takes effect."""
    actor.require("standards.publish", center=version.center)
    version = StandardVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    standard = Standard.objects.select_for_update().get(pk=version.standard_id)
    effective_from = effective_from or timezone.localdate()
    previous = standard.current
    if previous is not None:
        if previous.effective_from and effective_from < previous.effective_from:
            raise ValidationError(
                {
                    "effective_from": _(
                        "The new version cannot take effect before the one it replaces."
                    )
                }
            )
        previous.state = StandardVersion.State.SUPERSEDED
        previous.effective_to = effective_from
        previous.save(update_fields=["state", "effective_to", "updated_at"])
    version.state = StandardVersion.State.PUBLISHED
    version.effective_from = effective_from
    version.published_by = actor
    version.published_at = timezone.now()
    version.save()
    standard.current = version
    standard.save(update_fields=["current", "updated_at"])
    event_record(
        actor=actor,
        action="standard.publish",
        target=version,
        before={"version": previous.number} if previous else None,
        after={"version": version.number, "effective_from": str(effective_from)},
    )
    version_published.send(sender=StandardVersion, version=version, actor=actor)
    return version


@transaction.atomic
def acknowledgement_record(*, actor, version: StandardVersion) -> Acknowledgement:
    """A person confirms they have read the published version that applies to them."""
    if not actor.scope.working.roles:
        # The administrators (三员) write no business record.
        raise PermissionDenied
    standard = version.standard
    if standard.current_id != version.pk:
        raise ValidationError(_("Only the published version can be acknowledged."))
    if not standard.applies_to(**person_profile(actor)):
        raise ValidationError(_("This standard does not apply to you."))
    ack, created = Acknowledgement.objects.get_or_create(
        center=version.center, version=version, person=actor
    )
    if created:
        event_record(actor=actor, action="standard.acknowledge", target=version)
    return ack
