"""What inspections tell the rectification engine, registered at start-up:
the inspection a deduction's problem was found at, and the final inspections
a cycle's audit may rest on."""

from django.template.defaultfilters import floatformat
from django.utils import timezone

from gembahall.rectification.models import Problem
from gembahall.rectification.sources import (
    FollowUps,
    Link,
    follow_ups_register,
    origin_register,
)

from .models import Inspection, ItemResult

# How many follow-up inspections a cycle's audit offers, newest first.
FOLLOW_UP_CHOICES = 50


def found_at(problem) -> Link | None:
    """The inspection the problem's deduction was found at."""
    result = (
        ItemResult.objects.filter(problem=problem)
        .select_related("inspection")
        .only("inspection__public_id", "inspection__inspected_on")
        .first()
    )
    if result is None:
        return None
    inspection = result.inspection
    return Link(f"{inspection.inspected_on:%Y-%m-%d}", inspection.get_absolute_url())


def follow_up_choices(improvement) -> list:
    """Final inspections of the units the cycle's problems came from, since
    the cycle began."""
    rows = Inspection.objects.filter(
        center_id=improvement.center_id,
        unit_id__in=improvement.problems.values("unit_id"),
        state=Inspection.State.FINAL,
        inspected_on__gte=timezone.localdate(improvement.created_at),
    ).order_by("-inspected_on", "unit_label")[:FOLLOW_UP_CHOICES]
    return [
        (i.public_id, f"{i.inspected_on:%Y-%m-%d} {i.unit_label} {i.score:.1f}")
        for i in rows
    ]


def follow_up_link(public_id) -> Link | None:
    inspection = Inspection.objects.filter(
        public_id=public_id, state=Inspection.State.FINAL
    ).first()
    if inspection is None:
        return None
    return Link(
        f"{inspection.unit_label} {floatformat(inspection.score, 1)}",
        inspection.get_absolute_url(),
    )


def register() -> None:
    origin_register(Problem.Source.INSPECTION, found_at)
    follow_ups_register(
        "inspection", FollowUps(choices=follow_up_choices, link=follow_up_link)
    )
