"""Prepares inspections for the finalize benchmark: `count` official window
inspections of today with every one of their 30 items answered (three
deductions that need no photo, one item not applicable), as an inspector leaves
them just before finalizing. Prints the finalize paths, one per line."""

import sys

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gembahall.inspections import scoring  # noqa: E402
from gembahall.inspections.models import Checklist, Inspection, ItemResult  # noqa: E402
from gembahall.inspections.services import repeat_keys, tier_of  # noqa: E402
from gembahall.org.models import Person, Unit  # noqa: E402

DEDUCT = {3: 1, 7: 2, 12: 1}
NOT_APPLICABLE = {13}


@transaction.atomic
def main(count: int) -> None:
    checklist = Checklist.objects.filter(center__code="demo", code="WIN").latest(
        "number"
    )
    items = list(checklist.items.all())
    inspector = Person.objects.get(user__username="inspector")
    windows = list(Unit.objects.active().windows().filter(center__code="demo"))
    today = timezone.localdate()
    inspections = Inspection.objects.bulk_create(
        Inspection(
            center=checklist.center,
            checklist=checklist,
            unit=unit,
            unit_label=str(unit),
            tier=tier_of(unit),
            inspected_on=today,
            inspector=inspector,
        )
        for unit in (windows[i % len(windows)] for i in range(count))
    )
    results = []
    for inspection in inspections:
        inspection.checklist = checklist
        repeats = repeat_keys(inspection)
        for item in items:
            outcome = "pass"
            if item.position in DEDUCT:
                outcome = "deduct"
            elif item.position in NOT_APPLICABLE:
                outcome = "na"
            occurrences = DEDUCT.get(item.position, 0)
            # Each answer's points are saved as it is given (item_answer).
            points = scoring.item_points(
                max_points=item.max_points,
                deduction=item.deduction,
                cap=item.cap,
                outcome=outcome,
                occurrences=occurrences,
                repeat=outcome == "deduct" and item.key in repeats,
            )
            results.append(
                ItemResult(
                    center=checklist.center,
                    inspection=inspection,
                    item=item,
                    outcome=outcome,
                    occurrences=occurrences,
                    points=points,
                    is_repeat=outcome == "deduct" and item.key in repeats,
                )
            )
    ItemResult.objects.bulk_create(results, batch_size=5000)
    for inspection in inspections:
        print(f"/inspections/{inspection.public_id}/finalize/")


if __name__ == "__main__":
    main(int(sys.argv[1]))
