"""Tops the demo center up to `total` problems for the rectification
benchmarks: a year of problems on every window, most closed (in time or late),
the rest spread over the open states, with repeats and overdue ones. Prints
how many problems the center holds."""

import random
import sys
from datetime import timedelta

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gembahall.inspections.models import ChecklistItem  # noqa: E402
from gembahall.org.models import Center, Unit  # noqa: E402
from gembahall.org.queries import unit_owner  # noqa: E402
from gembahall.rectification.models import Problem  # noqa: E402

OPEN = ("open", "in_progress", "submitted", "returned")


@transaction.atomic
def main(total: int) -> None:
    rng = random.Random(50000)
    center = Center.objects.get(code="demo")
    have = Problem.objects.filter(center=center).count()
    windows = list(Unit.objects.active().windows().filter(center=center))
    owners = {w.pk: unit_owner(w) for w in windows}
    items = list(
        ChecklistItem.objects.filter(checklist__center=center, checklist__code="WIN")
    )
    now = timezone.now()
    batch = []
    for i in range(max(0, total - have)):
        unit = windows[i % len(windows)]
        item = rng.choice(items)
        age = rng.uniform(0, 365)
        created = now - timedelta(days=age)
        raised = timezone.localdate(created)
        deadline = raised + timedelta(days=7)
        problem = Problem(
            center=center,
            unit=unit,
            source="inspection",
            severity=item.severity,
            description=item.criterion,
            standard_id=item.standard_id,
            item_key=item.key,
            owner=owners[unit.pk],
            created_at=created,
            raised_on=raised,
            deadline=deadline,
        )
        if age > 21 or rng.random() < 0.5:
            days = rng.choice((1, 2, 3, 4, 6, 9))
            closed = min(created + timedelta(days=days), now)
            problem.state = "closed"
            problem.submitted_at = closed - timedelta(hours=6)
            problem.closed_at, problem.closed_on = closed, timezone.localdate(closed)
            problem.days_to_close = days
            problem.on_time = timezone.localdate(problem.submitted_at) <= deadline
        else:
            problem.state = rng.choice(OPEN)
        batch.append(problem)
        if len(batch) == 5000:
            Problem.objects.bulk_create(batch)
            batch = []
    Problem.objects.bulk_create(batch)
    # Every tenth problem repeats the one made just before it on its window.
    ids = list(
        Problem.objects.filter(center=center)
        .order_by("unit_id", "item_key", "pk")
        .values_list("pk", "unit_id", "item_key")
    )
    repeats = [
        Problem(pk=pk, repeat_of_id=prev[0])
        for prev, (pk, unit, key) in zip(ids, ids[1:], strict=False)
        if prev[1] == unit and prev[2] == key and pk % 10 == 0
    ]
    Problem.objects.bulk_update(repeats, ["repeat_of"], batch_size=5000)
    print(Problem.objects.filter(center=center).count())


if __name__ == "__main__":
    main(int(sys.argv[1]))
