"""Good practices (以点带面): a window shows what works, the OSM office
publishes it, other windows take it up, and the best become standards."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.notify import notify_holders
from gembahall.core.photos import decodes_photos_first, photo_store
from gembahall.standards import services as standards
from gembahall.standards.models import ReferencePhoto

from .models import Adoption, Practice


@decodes_photos_first
@transaction.atomic
def practice_submit(*, actor, unit, title: str, description: str, uploads=()):
    if not actor.has_perm("practices.submit", unit=unit):
        raise PermissionDenied
    if not uploads:
        raise ValidationError({"photos": _("Add at least one photo of the practice.")})
    practice = Practice(
        center=unit.center,
        unit=unit,
        title=title.strip(),
        description=description.strip(),
        submitted_by=actor,
    )
    practice.full_clean(exclude=["photos"])
    practice.save()
    practice.photos.set(
        photo_store(actor=actor, center=unit.center, unit=unit, upload=u)
        for u in uploads
    )
    event_record(actor=actor, action="practice.submit", target=practice)
    notify_holders(
        "practices.review",
        center=practice.center,
        exclude=[actor],
        kind="practice.submitted",
        title=_("A good practice to review: %(title)s") % {"title": practice.title},
        body=str(unit),
        url=practice.get_absolute_url(),
    )
    return practice


def _locked(practice: Practice, state) -> Practice:
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if locked.state != state:
        raise ValidationError(
            _("The practice is “%(state)s” now; look at it again.")
            % {"state": locked.get_state_display()}
        )
    return locked


@transaction.atomic
def practice_review(*, actor, practice: Practice, publish: bool, note: str = ""):
    """The OSM office publishes a practice for every window, or declines it."""
    if not actor.has_perm("practices.review", center=practice.center):
        raise PermissionDenied
    practice = _locked(practice, Practice.State.SUBMITTED)
    if not publish and not note.strip():
        raise ValidationError({"note": _("Say why the practice is declined.")})
    practice.state = Practice.State.PUBLISHED if publish else Practice.State.DECLINED
    practice.reviewed_by, practice.review_note = actor, note.strip()
    practice.published_at = timezone.now() if publish else None
    practice.save()
    event_record(
        actor=actor,
        action="practice.publish" if publish else "practice.decline",
        target=practice,
        after={"state": practice.state},
    )
    return practice


@transaction.atomic
def practice_adopt(*, actor, practice: Practice, unit, note: str = "") -> Adoption:
    """A window records that it took up a published practice."""
    if not actor.has_perm("practices.submit", unit=unit):
        raise PermissionDenied
    practice = Practice.objects.get(pk=practice.pk)
    if practice.state != Practice.State.PUBLISHED:
        raise ValidationError(_("Only a published practice can be adopted."))
    if unit.pk == practice.unit_id:
        raise ValidationError(_("The practice comes from this window already."))
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                center=practice.center,
                practice=practice,
                unit=unit,
                person=actor,
                note=note.strip(),
            )
    except IntegrityError:
        raise ValidationError(_("This window adopted the practice already.")) from None
    event_record(
        actor=actor, action="practice.adopt", target=practice, after={"unit": str(unit)}
    )
    return adoption


@transaction.atomic
def practice_promote(*, actor, practice: Practice, code: str, **meta):
    """Make a published practice a standard: its first version is a draft with
    the practice's text and photos, for the director to publish."""
    practice = _locked(practice, Practice.State.PUBLISHED)
    if practice.standard_id:
        raise ValidationError(_("The practice is a standard already."))
    body = practice.description
    standard = standards.standard_create(
        actor=actor, center=practice.center, code=code, body=body, **meta
    )
    version = standard.versions.get()
    version.change_note = _("From the good practice of %(unit)s") % {
        "unit": practice.unit
    }
    version.save(update_fields=["change_note"])
    ReferencePhoto.objects.bulk_create(
        ReferencePhoto(
            center=practice.center,
            version=version,
            photo=photo,
            caption=practice.title,
            position=i,
        )
        for i, photo in enumerate(practice.photos.all())
    )
    practice.standard = standard
    practice.save(update_fields=["standard", "updated_at"])
    event_record(
        actor=actor,
        action="practice.promote",
        target=practice,
        after={"standard": standard.code},
    )
    return standard
