"""Contacting the citizen behind a bad rating: revealing the number to the
person who calls, and the return visit (回访) once the fix is done."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record

from .followups import can_follow_up
from .models import FollowUp, Rating


def can_reveal(person, rating: Rating) -> bool:
    """The window's people who call the citizen back; everyone else sees the
    masked number."""
    return (
        bool(rating.phone)
        and hasattr(rating, "followup")
        and person.has_perm("ratings.followup", unit=rating.window)
    )


@transaction.atomic
def rating_phone_reveal(*, actor, rating: Rating) -> str:
    """The full number, for one answer; the trail keeps who saw it and when,
    never the number."""
    if not can_reveal(actor, rating):
        raise PermissionDenied
    event_record(
        actor=actor,
        action="rating.phone_reveal",
        target=rating,
        after={"revealed": True, "purpose": "callback"},
    )
    return rating.phone


def visit_due(followup: FollowUp) -> bool:
    """The fix is closed and nobody has made the return visit yet."""
    problem = followup.problem
    return (
        followup.visited_at is None
        and problem is not None
        and problem.closed_on is not None
        and followup.rating.excluded_at is None
    )


@transaction.atomic
def followup_visit(*, actor, followup: FollowUp, outcome: str, note: str = ""):
    """Record the return visit: whether the citizen is satisfied with the fix,
    not satisfied, or could not be reached."""
    if not can_follow_up(actor, followup):
        raise PermissionDenied
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("problem", "rating")
        .get(pk=followup.pk)
    )
    if followup.visited_at is not None:
        raise ValidationError(_("The return visit is already recorded."))
    if not visit_due(followup):
        raise ValidationError(
            _("The return visit comes after the fix: the rectification is not closed.")
        )
    if outcome not in FollowUp.VisitOutcome.values:
        raise ValidationError({"outcome": _("Choose how the return visit went.")})
    reached = outcome != FollowUp.VisitOutcome.UNREACHABLE
    if reached and not note.strip():
        raise ValidationError({"note": _("Write down what the citizen said.")})
    followup.visited_at, followup.visited_by = timezone.now(), actor
    followup.visit_outcome, followup.visit_note = outcome, note.strip()
    followup.save(
        update_fields=[
            "visited_at",
            "visited_by",
            "visit_outcome",
            "visit_note",
            "updated_at",
        ]
    )
    event_record(
        actor=actor,
        action="rating.return_visit",
        target=followup,
        after={"outcome": outcome},
    )
    return followup
