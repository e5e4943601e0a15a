"""What rectification puts on people's to-do lists: fixes to verify, problems
to fix and good practices to review (registered in RectificationConfig.ready)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.todo import Todo, todo_provider

from .models import OWNER_STATES, Practice, Problem, ProblemStep


def _problems_url(state: str) -> str:
    return f"{reverse('rectification:problems')}?state={state}"


@todo_provider("problems.verify")
def fixes_to_verify(person, center):
    """Submitted fixes of the center; an inspector never verifies their own fix."""
    if not person.has_perm("problems.verify", center=center):
        return []
    own_fix = ProblemStep.objects.filter(
        problem=OuterRef("pk"), kind=ProblemStep.Kind.SUBMITTED, actor=person
    )
    count = (
        Problem.objects.filter(center=center, state=Problem.State.SUBMITTED)
        .exclude(Exists(own_fix))
        .count()
    )
    return [
        Todo(
            kind="problems.verify",
            label=_("Fixes to verify"),
            count=count,
            url=_problems_url("submitted"),
            icon="patch-check",
        )
    ]


@todo_provider("problems.fix")
def problems_to_fix(person, center):
    """Open, started and returned problems of the units the person fixes for,
    and those they own."""
    units = person.scope.unit_ids("problems.fix")
    mine = Q(owner=person) | Q(unit_id__in=units)
    today = timezone.localdate()
    counts = Problem.objects.filter(
        mine, center=center, state__in=OWNER_STATES
    ).aggregate(n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=today)))
    return [
        Todo(
            kind="problems.fix",
            label=_("Problems to fix"),
            count=counts["n"],
            late=counts["late"],
            url=_problems_url("to_fix"),
            icon="tools",
        )
    ]


@todo_provider("practices.review")
def practices_to_review(person, center):
    if not person.has_perm("practices.review", center=center):
        return []
    count = Practice.objects.filter(
        center=center, state=Practice.State.SUBMITTED
    ).count()
    return [
        Todo(
            kind="practices.review",
            label=_("Good practices to review"),
            count=count,
            url=f"{reverse('rectification:practices')}?state=submitted",
            icon="hand-thumbs-up",
        )
    ]
