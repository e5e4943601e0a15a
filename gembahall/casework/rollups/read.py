"""Reads of the rollup tables for the KPIs: sums over a period, for one
member of a dimension or per member, each in one query whatever the number
of records behind it."""

from collections import defaultdict
from datetime import date

from django.db.models import Q, Sum

from ..models import CaseStat, DayStat, HourStat
from .histogram import histogram_merge
from .schema import CASE_COUNTERS, TICKET_COUNTERS, Dimension


def _day_stats(center_id: int, dim: Dimension, start: date, end: date):
    return DayStat.objects.filter(center_id=center_id, dim=dim, day__range=(start, end))


def ticket_sums(
    *, center_id: int, dim: Dimension, key: str, start: date, end: date
) -> dict:
    """One member's ticket counters summed over the period, by name, and
    "histogram": its minutes waited, as counts by minute."""
    rows = list(
        _day_stats(center_id, dim, start, end)
        .filter(key=key)
        .values_list(*TICKET_COUNTERS, "minutes")
    )
    sums = {name: sum(r[i] for r in rows) for i, name in enumerate(TICKET_COUNTERS)}
    sums["histogram"] = histogram_merge(r[-1] for r in rows)
    return sums


def ticket_total(
    *, center_id: int, dim: Dimension, key: str, start: date, end: date, counter: str
) -> int:
    """One ticket counter of one member, summed over the period."""
    rows = _day_stats(center_id, dim, start, end).filter(key=key)
    return rows.aggregate(n=Sum(counter))["n"] or 0


def ticket_sums_by_member(
    *,
    center_id: int,
    dim: Dimension,
    start: date,
    end: date,
    counters=TICKET_COUNTERS,
    parent: int | None = None,
    parents=None,
    keys=None,
) -> dict[str, dict]:
    """Per member of a dimension (its key), optionally only those under a
    parent or parents or with the given keys: the counters summed and
    "histogram", the merged minutes waited."""
    rows = _day_stats(center_id, dim, start, end)
    if parent is not None:
        rows = rows.filter(parent=parent)
    if parents is not None:
        rows = rows.filter(parent__in=list(parents))
    if keys is not None:
        rows = rows.filter(key__in=list(keys))
    grouped = defaultdict(list)
    for row in rows.values_list("key", *counters, "minutes"):
        grouped[row[0]].append(row)
    result = {}
    for key, member_rows in grouped.items():
        sums = {f: sum(r[i + 1] for r in member_rows) for i, f in enumerate(counters)}
        sums["histogram"] = histogram_merge(r[-1] for r in member_rows)
        result[key] = sums
    return result


def ticket_rows(*, center_id: int, dim: Dimension, start: date, end: date, counters):
    """Each stored row of a dimension in the period: (day, key, *counters,
    stored histogram)."""
    return _day_stats(center_id, dim, start, end).values_list(
        "day", "key", *counters, "minutes"
    )


def open_window_days(
    *, center_id: int, dim: Dimension, key: str, start: date, end: date
) -> int | None:
    """The window-days (one window open on one day: it served someone) of a
    member: the center's or a department's windows, a window itself, the
    windows a staff member served at; None for a business, where a
    window-day does not apply."""
    q = Q(center_id=center_id)
    member = "key"
    if dim == Dimension.WINDOW:
        q &= Q(dim=Dimension.WINDOW, key=key)
    elif dim == Dimension.STAFF:
        # A staff member's rows are per window (the parent).
        q &= Q(dim=Dimension.STAFF_WINDOW, key=key)
        member = "parent"
    elif dim == Dimension.DEPARTMENT:
        q &= Q(dim=Dimension.WINDOW, parent=int(key))
    elif dim == Dimension.CENTER:
        q &= Q(dim=Dimension.WINDOW)
    else:
        return None
    return (
        DayStat.objects.filter(q, day__range=(start, end), served__gt=0)
        .values("day", member)
        .distinct()
        .count()
    )


def case_sums(
    *,
    center_id: int,
    start: date,
    end: date,
    department_id: int | None = None,
    item_key: str | None = None,
) -> dict[str, int]:
    """The case counters summed over the period, by name: the center's, or
    a department's or a business's."""
    q = Q(center_id=center_id, day__range=(start, end))
    if department_id is not None:
        q &= Q(department_id=department_id)
    if item_key is not None:
        q &= Q(item_key=item_key)
    sums = CaseStat.objects.filter(q).aggregate(**{f: Sum(f) for f in CASE_COUNTERS})
    return {k: v or 0 for k, v in sums.items()}


def case_sums_by(*, center_id: int, start: date, end: date, group, counters):
    """Case counters summed per value of the `group` fields (day,
    department_id, item_key): one dict per group."""
    return (
        CaseStat.objects.filter(center_id=center_id, day__range=(start, end))
        .values(*group)
        .annotate(**{f: Sum(f) for f in counters})
    )


def hour_sums(*, center_id: int, start: date, end: date):
    """(day, hour, waited, wait_sum) of each stored hour in the period."""
    return HourStat.objects.filter(
        center_id=center_id, day__range=(start, end)
    ).values_list("day", "hour", "waited", "wait_sum")
