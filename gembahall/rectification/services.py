"""Raising problems; the rectification workflow builds on these records."""

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


def problems_from_inspection(*, inspection, results, owner, photos) -> list[Problem]:
    """One open problem per deduction, owned by `owner`, with the deduction's
    photos (pairs of item result and photo ids) as evidence. Runs inside the
    finalize's transaction, whose event records how many were raised."""
    if not results:
        return []
    problems = Problem.objects.bulk_create(
        Problem(
            center=inspection.center,
            unit=inspection.unit,
            source=Problem.Source.INSPECTION,
            severity=result.item.severity,
            description=result.item.criterion
            + (f"\n{result.note}" if result.note else ""),
            standard_id=result.item.standard_id,
            item_result=result,
            item_key=result.item.key,
            owner=owner,
        )
        for result in results
    )
    by_result = {p.item_result_id: p for p in problems}
    Problem.photos.through.objects.bulk_create(
        Problem.photos.through(problem=by_result[result_id], photo_id=photo_id)
        for result_id, photo_id in photos
    )
    return problems
