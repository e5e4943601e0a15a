"""Reads about the organisation that other apps ask: who answers for a unit."""

from .models import Person, RoleAssignment, Unit


def unit_owner(unit: Unit) -> Person | None:
    """Who answers for the unit: its head; failing that, its active window head."""
    if unit.head_id and unit.head.is_active:
        return unit.head
    assignment = (
        RoleAssignment.objects.active()
        .filter(unit=unit, role="window_head")
        .select_related("person")
        .first()
    )
    return assignment.person if assignment else None
