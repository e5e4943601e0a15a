"""The follow-up of a bad rating: a call back within one working day and a
rectification (a Problem with source "rating") within fifteen."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.notify import holders, notify
from gembahall.core.workdays import add_working_days
from gembahall.org.queries import unit_owner
from gembahall.rectification.intake import problem_raise
from gembahall.rectification.models import Problem

from .models import REASONS, FollowUp


def followup_open(rating):
    today = timezone.localdate()
    window = rating.window
    owner = unit_owner(window)
    reasons = "、".join(str(REASONS[r]) for r in rating.reasons)
    description = _("Citizen rating “%(level)s”: %(reasons)s") % {
        "level": rating.get_level_display(),
        "reasons": reasons,
    }
    if rating.comment:
        description += f"\n{rating.comment}"
    # The owner hears of it below, with the call back that comes first.
    problem = problem_raise(
        actor=None,
        source=Problem.Source.RATING,
        unit=window,
        description=description,
        severity=Problem.Severity.GENERAL,
        deadline_days=settings.GEMBAHALL_RATING_RECTIFY_DAYS,
        owner=owner,
        notify_owner=False,
    )
    followup = FollowUp.objects.create(
        center_id=rating.center_id,
        rating=rating,
        callback_due=add_working_days(today, 1).date,
        problem=problem,
    )
    event_record(
        actor=None,
        action="rating.followup_open",
        target=followup,
        center_id=rating.center_id,
        after={
            "level": rating.level,
            "window": str(window),
            "callback_due": str(followup.callback_due),
        },
    )
    notify(
        followers(window, owner),
        kind="rating.bad",
        title=_("A bad rating for %(window)s: call back by %(day)s")
        % {"window": window, "day": followup.callback_due},
        body=description[:200],
        url=followup.get_absolute_url(),
    )
    return followup


def followers(window, owner=None) -> list:
    """Who hears of a bad rating: the window's owner, head and liaison, who
    call back, and the director and OSM office, who follow up for the center."""
    people = [owner, *holders("ratings.followup", center=window.center, unit=window)]
    return people + list(holders("ratings.exclude", center=window.center))


def can_follow_up(person, followup) -> bool:
    return person.has_perm("ratings.followup", unit=followup.rating.window) or (
        person.has_perm("ratings.exclude", center=followup.rating.center)
    )


@transaction.atomic
def followup_callback(*, actor, followup, note: str):
    if not can_follow_up(actor, followup):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Write down what the citizen said.")})
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.called_back_at is not None:
        raise ValidationError(_("The call back is already recorded."))
    followup.called_back_at = timezone.now()
    followup.called_back_by = actor
    followup.callback_note = note.strip()
    followup.save(
        update_fields=[
            "called_back_at",
            "called_back_by",
            "callback_note",
            "updated_at",
        ]
    )
    event_record(
        actor=actor,
        action="rating.callback",
        target=followup,
        after={"on_time": followup.callback_on_time},
    )
    return followup


@transaction.atomic
def followup_appeal_reject(*, actor, followup, reason: str):
    if not actor.has_perm("ratings.exclude", center=followup.rating.center):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the appeal is rejected.")})
    followup.appeal, followup.appeal_reason = "rejected", reason.strip()
    followup.save(update_fields=["appeal", "appeal_reason", "updated_at"])
    event_record(
        actor=actor,
        action="rating.appeal_reject",
        target=followup,
        after={"reason": followup.appeal_reason},
    )
    return followup


def on_problem_state(problem, before: str) -> None:
    """When a rating's problem closes, note whether it closed on time."""
    if problem.source != Problem.Source.RATING or problem.closed_on is None:
        return
    FollowUp.objects.filter(problem=problem, rectified_on_time__isnull=True).update(
        rectified_on_time=problem.deadline is None
        or problem.closed_on <= problem.deadline
    )
