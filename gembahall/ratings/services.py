"""Taking a citizen's rating, and excluding one found malicious."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.casework.rollups import staff_key
from gembahall.core.audit import event_record

from .followups import followup_open
from .models import REASONS, Rating
from .rollups import ratings_delta

PHONE = re.compile(r"^1\d{10}$")


class RatingLimited(Exception):
    """Too many ratings from one link or address in the last hour."""


def _level(value, field: str, errors: dict):
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if not 1 <= level <= 5:
        errors[field] = _("Choose one of the five levels.")
    return level


# Ratings in the last hour by the window's link and by the address; each
# count stops at its cap, so a flood costs no more to refuse than the cap.
LIMITS_SQL = """
SELECT
  (SELECT COUNT(*) FROM (SELECT 1 FROM {table}
     WHERE window_id = %s AND created_at >= %s LIMIT %s) AS by_window),
  (SELECT COUNT(*) FROM (SELECT 1 FROM {table}
     WHERE ip = %s AND created_at >= %s LIMIT %s) AS by_address)
"""


def _over_cap(window, ip) -> str:
    """Which flood cap a new rating would pass: the window's, the address's,
    or none ("")."""
    per_window = settings.GEMBAHALL_RATING_LIMIT_PER_WINDOW
    per_address = settings.GEMBAHALL_RATING_LIMIT_PER_ADDRESS
    since = connection.ops.adapt_datetimefield_value(
        timezone.now() - timedelta(hours=1)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            LIMITS_SQL.format(table=Rating._meta.db_table),
            [window.pk, since, per_window, ip, since, per_address],
        )
        by_window, by_address = cursor.fetchone()
    if by_window >= per_window:
        return Rating.Cap.WINDOW
    if ip and by_address >= per_address:
        return Rating.Cap.ADDRESS
    return Rating.Cap.NONE


def rating_submit(
    *,
    window,
    level,
    efficiency=None,
    quality=None,
    attitude=None,
    reasons=(),
    comment: str = "",
    phone: str = "",
    channel: str = Rating.Channel.WINDOW_QR,
    ticket=None,
    case=None,
    external_id: str = "",
    ip=None,
) -> Rating:
    """Store one rating; a bad one opens its follow-up. Over a flood cap a
    complaint (a low level) is still kept, held out of the KPIs for the OSM
    office to review, and any other level is refused with RatingLimited.
    Raises ValidationError naming the field."""
    errors = {}
    level = _level(level, "level", errors)
    # A sub-score not given stays empty: it is not the overall level.
    subs = {
        field: None if value in (None, "") else _level(value, field, errors)
        for field, value in (
            ("efficiency", efficiency),
            ("quality", quality),
            ("attitude", attitude),
        )
    }
    reasons = [r for r in dict.fromkeys(reasons) if r]
    if any(r not in REASONS for r in reasons):
        errors["reasons"] = _("Choose reasons from the list.")
    elif 1 <= level <= Rating.BAD and not reasons:
        errors["reasons"] = _("Tell us at least one reason for a low rating.")
    comment, phone = comment.strip(), phone.strip()
    if len(comment) > 500:
        errors["comment"] = _("At most 500 characters, please.")
    if phone and not PHONE.match(phone):
        errors["phone"] = _("A mobile number has 11 digits and starts with 1.")
    if channel not in Rating.Channel.values:
        errors["channel"] = _("Unknown channel.")
    if errors:
        raise ValidationError(errors)
    over_cap = _over_cap(window, ip)
    if over_cap and level > Rating.BAD:
        raise RatingLimited
    staff_id = getattr(ticket, "staff_id", None)
    rating = Rating(
        center_id=window.center_id,
        window=window,
        department_id_at=window.department_id or 0,
        staff_id=staff_id,
        staff_key=staff_key(staff_id, getattr(ticket, "staff_no", "")),
        ticket=ticket,
        case=case,
        level=level,
        reasons=reasons,
        comment=comment,
        phone=phone,
        channel=channel,
        external_id=external_id[:64],
        day=timezone.localdate(),
        ip=ip,
        hold=Rating.Hold.HELD if over_cap else Rating.Hold.NONE,
        over_cap=over_cap,
        **subs,
    )
    try:
        with transaction.atomic():
            rating.save()
            if not over_cap:
                _count(rating)
    except IntegrityError:
        raise ValidationError(
            {"ticket": _("This service has already been rated. Thank you!")}
        ) from None
    return rating


def _count(rating: Rating) -> None:
    """The rating enters the KPIs; a bad one opens its follow-up."""
    ratings_delta([rating], +1)
    if rating.is_bad:
        followup_open(rating)


@transaction.atomic
def rating_review(*, actor, rating: Rating, keep: bool) -> Rating:
    """The OSM office's decision on a rating held over a flood cap: kept, it
    enters the KPIs and a complaint opens its follow-up; discarded, it stays
    stored and never counts."""
    if not actor.has_perm("ratings.exclude", center=rating.center):
        raise PermissionDenied
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if rating.hold != Rating.Hold.HELD:
        raise ValidationError(_("This rating has been reviewed already."))
    rating.hold = Rating.Hold.KEPT if keep else Rating.Hold.DISCARDED
    rating.reviewed_at, rating.reviewed_by = timezone.now(), actor
    rating.save(update_fields=["hold", "reviewed_at", "reviewed_by", "updated_at"])
    if keep:
        _count(rating)
    event_record(
        actor=actor,
        action="rating.review",
        target=rating,
        before={"hold": Rating.Hold.HELD, "over_cap": rating.over_cap},
        after={"hold": rating.hold},
    )
    return rating


@transaction.atomic
def rating_exclude(*, actor, rating: Rating, reason: str) -> Rating:
    """A rating found malicious leaves the KPIs; it stays stored, with the
    reason and an audit event."""
    if not actor.has_perm("ratings.exclude", center=rating.center):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the rating is excluded.")})
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if rating.excluded_at is not None:
        raise ValidationError(_("This rating is already excluded."))
    if rating.hold in (Rating.Hold.HELD, Rating.Hold.DISCARDED):
        raise ValidationError(_("This rating is held out of the KPIs already."))
    rating.excluded_at = timezone.now()
    rating.excluded_reason = reason.strip()
    rating.excluded_by = actor
    rating.save(
        update_fields=["excluded_at", "excluded_reason", "excluded_by", "updated_at"]
    )
    ratings_delta([rating], -1)
    followup = getattr(rating, "followup", None)
    if followup is not None:
        followup.appeal, followup.appeal_reason = "upheld", rating.excluded_reason
        followup.save(update_fields=["appeal", "appeal_reason", "updated_at"])
    event_record(
        actor=actor,
        action="rating.exclude",
        target=rating,
        before={"excluded": False},
        after={"excluded": True, "reason": rating.excluded_reason},
    )
    return rating
