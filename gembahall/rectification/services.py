"""Raising problems; the rectification workflow builds on these records."""

from django.db import transaction

from gembahall.core.audit import event_record
from gembahall.org.models import Person, RoleAssignment

from .models import Problem


def unit_owner(unit) -> Person | None:
    """The unit's head; failing that, its active window head."""
    if unit.head_id and unit.head.is_active:
        return unit.head
    assignment = (
        RoleAssignment.objects.active()
        .filter(unit=unit, role="window_head")
        .select_related("person")
        .first()
    )
    return assignment.person if assignment else None


@transaction.atomic
def problems_from_inspection(*, inspection, results) -> list[Problem]:
    """One open problem per deduction, with the deduction's photos as evidence."""
    if not results:
        return []
    owner = unit_owner(inspection.unit)
    problems = []
    for result in results:
        item = result.item
        text = item.criterion + (f"\n{result.note}" if result.note else "")
        problem = Problem.objects.create(
            center=inspection.center,
            unit=inspection.unit,
            source=Problem.Source.INSPECTION,
            severity=item.severity,
            description=text,
            standard_id=item.standard_id,
            item_result=result,
            item_key=item.key,
            owner=owner,
        )
        problem.photos.set(result.photos.all())
        problems.append(problem)
    event_record(
        actor=None,
        action="problem.raise",
        target=inspection,
        after={"problems": len(problems)},
    )
    return problems
