"""A window's appeal against a bad rating of its service: filed by the window
head with the reason and photos within the appeal days, then upheld (the
rating is excluded from every KPI) or rejected by the OSM office."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.notify import holders, notify, notify_holders
from gembahall.core.photos import decodes_photos_first, photo_store
from gembahall.core.workdays import add_working_days

from .models import Appeal, Rating
from .services import rating_exclude


def appeal_deadline(rating: Rating) -> date:
    """The last day the window may appeal: the appeal days after the rating."""
    return add_working_days(rating.day, settings.GEMBAHALL_RATING_APPEAL_DAYS).date


def can_appeal(person, rating: Rating) -> bool:
    """Whether the person may appeal for the rated window (not whether the
    rating still may be appealed)."""
    return rating.is_bad and person.has_perm("ratings.appeal", unit=rating.window)


def can_decide(person, rating: Rating) -> bool:
    return person.has_perm("ratings.exclude", center=rating.center)


@decodes_photos_first
@transaction.atomic
def appeal_file(*, actor, rating: Rating, reason: str, uploads=()) -> Appeal:
    """The window's appeal: once per rating, within the appeal days."""
    if not can_appeal(actor, rating):
        raise PermissionDenied
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if rating.excluded_at is not None:
        raise ValidationError(_("This rating is already excluded."))
    if rating.hold in (Rating.Hold.HELD, Rating.Hold.DISCARDED):
        raise ValidationError(_("This rating is held out of the KPIs already."))
    if Appeal.objects.filter(rating=rating).exists():
        raise ValidationError(_("This rating has been appealed already."))
    last = appeal_deadline(rating)
    if timezone.localdate() > last:
        raise ValidationError(
            _(
                "Too late to appeal: a window may appeal within %(n)d working "
                "days of a rating, and for this one the last day was %(day)s."
            )
            % {"n": settings.GEMBAHALL_RATING_APPEAL_DAYS, "day": last.isoformat()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the rating is unfair.")})
    appeal = Appeal.objects.create(
        center_id=rating.center_id,
        rating=rating,
        filed_by=actor,
        reason=reason.strip(),
    )
    appeal.photos.set(
        photo_store(actor=actor, center=rating.center, unit=rating.window, upload=u)
        for u in uploads
    )
    event_record(
        actor=actor,
        action="rating.appeal_file",
        target=appeal,
        after={"reason": appeal.reason, "photos": len(uploads)},
    )
    notify_holders(
        "ratings.exclude",
        center=rating.center,
        exclude=[actor],
        kind="rating.appeal",
        title=_("An appeal to decide: %(rating)s") % {"rating": rating},
        body=appeal.reason[:200],
        url=appeal.get_absolute_url(),
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: Appeal, upheld: bool, reason: str) -> Appeal:
    """Uphold the appeal (the rating leaves every KPI, as an exclusion does)
    or reject it (the rating counts); the window head hears which, and why."""
    if not can_decide(actor, appeal.rating):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the appeal is so decided.")})
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("rating")
        .get(pk=appeal.pk)
    )
    if appeal.state != Appeal.State.PENDING:
        raise ValidationError(_("This appeal is already decided."))
    rating, reason = appeal.rating, reason.strip()
    if upheld:
        if rating.excluded_at is None:
            rating_exclude(actor=actor, rating=rating, reason=reason)
    else:
        followup = getattr(rating, "followup", None)
        if followup is not None:
            followup.appeal, followup.appeal_reason = "rejected", reason
            followup.save(update_fields=["appeal", "appeal_reason", "updated_at"])
    appeal.state = Appeal.State.UPHELD if upheld else Appeal.State.REJECTED
    appeal.decided_at, appeal.decided_by = timezone.now(), actor
    appeal.decision_reason = reason
    appeal.save(
        update_fields=[
            "state",
            "decided_at",
            "decided_by",
            "decision_reason",
            "updated_at",
        ]
    )
    event_record(
        actor=actor,
        action="rating.appeal_uphold" if upheld else "rating.appeal_reject",
        target=appeal,
        before={"state": Appeal.State.PENDING},
        after={"state": appeal.state, "reason": reason},
    )
    title = (
        _("Your appeal is upheld: %(rating)s no longer counts")
        if upheld
        else _("Your appeal is rejected: %(rating)s still counts")
    )
    notify(
        [
            appeal.filed_by,
            *holders("ratings.appeal", center=rating.center, unit=rating.window),
        ],
        kind="rating.appeal_decided",
        title=title % {"rating": rating},
        body=reason[:200],
        url=appeal.get_absolute_url(),
    )
    return appeal
