"""Reading problems: the dashboard's figures, read from per-day groups so the
work does not grow with the number of problems shown, and cached until a
problem changes or the day turns."""

from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from gembahall.org.models import Pairing, Unit

from .models import OWNER_STATES, Problem


def reportable_units(person, center):
    """Where a person may report a problem in a center. Those who report for
    the whole center (the OSM office, the directors) report on any unit;
    everyone else on the units where they hold a role, a guide also on the
    hall's public zones, and on the OSM office, which takes what they found at
    any other unit and assigns it."""
    units = Unit.objects.active().filter(center=center)
    if person.has_perm("problems.report", center=center):
        return units
    grants = [
        g
        for g in person.scope.working.grants_with("problems.report")
        if g.center_id == center.pk and g.unit_id is not None
    ]
    if not grants:
        return units.none()
    q = Q(pk__in=[g.unit_id for g in grants]) | Q(is_osm_office=True)
    if any(g.role == "guide" for g in grants):
        q |= Q(kind=Unit.Kind.ZONE)
    return units.filter(q)


def is_own_unit(person, unit) -> bool:
    """Whether a person self-reports on the unit: one where they hold a role,
    or any unit for those who report for the whole center."""
    return person.has_perm("problems.report", center=unit.center) or (
        unit.pk in person.scope.working.unit_ids("problems.report")
    )


def month_starts(today: date, months: int) -> list[date]:
    y, m = today.year, today.month
    out = []
    for _i in range(months):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def stamp(center) -> str:
    """Changes whenever a problem of the center is written."""
    changed = Problem.objects.filter(center=center).aggregate(t=Max("updated_at"))["t"]
    return changed.isoformat() if changed else "-"


def dashboard(center, *, months: int = 12, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    key = f"rect-dash:{center.pk}:{months}:{today}:{stamp(center)}"
    data = cache.get(key)
    if data is None:
        data = _dashboard(center, months, today)
        cache.set(key, data, 3600)
    return data


def _dashboard(center, months: int, today: date) -> dict:
    starts = month_starts(today, months)
    problems = Problem.objects.filter(center=center)
    rows = _monthly(problems, starts, today)
    by_unit = _by_unit(problems, starts[0], today)
    chart = {
        "labels": [f"{r['month']:%Y-%m}" for r in rows],
        "raised": [r["raised"] for r in rows],
        "closed": [r["closed"] for r in rows],
        "on_time_rate": [r["on_time_rate"] for r in rows],
    }
    return {
        "months": rows,
        "units": by_unit,
        "totals": _totals(rows, by_unit),
        "chart": chart,
    }


def _monthly(problems, starts: list[date], today: date) -> list[dict]:
    """Per month from the first start to today: problems raised (repeats
    among them) and closed (on time, days taken), from per-day groups."""
    since = starts[0]
    monthly = {
        s: {"month": s, "raised": 0, "repeats": 0, "closed": 0, "on_time": 0, "days": 0}
        for s in starts
    }
    for row in (
        problems.filter(raised_on__range=(since, today))
        .values("raised_on")
        .annotate(n=Count("pk"), repeats=Count("pk", filter=Q(repeat_of__isnull=False)))
    ):
        month = monthly[row["raised_on"].replace(day=1)]
        month["raised"] += row["n"]
        month["repeats"] += row["repeats"]
    for row in (
        problems.filter(closed_on__range=(since, today))
        .values("closed_on")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(on_time=True)),
            days=Sum("days_to_close"),
        )
    ):
        month = monthly[row["closed_on"].replace(day=1)]
        month["closed"] += row["n"]
        month["on_time"] += row["on_time"]
        month["days"] += row["days"] or 0
    rows = list(monthly.values())
    for row in rows:
        _add_rates(row)
    return rows


def _by_unit(problems, since: date, today: date) -> list[dict]:
    """Per unit with problems raised since `since` or still open: counts and
    rates, most overdue first."""
    closed = Q(state=Problem.State.CLOSED)
    by_unit = list(
        problems.filter(Q(raised_on__gte=since) | ~closed)
        .values("unit_id")
        .annotate(
            raised=Count("pk", filter=Q(raised_on__gte=since)),
            open=Count("pk", filter=~closed),
            overdue=Count("pk", filter=Q(state__in=OWNER_STATES, deadline__lt=today)),
            closed=Count("pk", filter=Q(closed_on__gte=since)),
            on_time=Count("pk", filter=Q(closed_on__gte=since, on_time=True)),
            days=Sum("days_to_close", filter=Q(closed_on__gte=since)),
            repeats=Count(
                "pk", filter=Q(raised_on__gte=since, repeat_of__isnull=False)
            ),
        )
    )
    units = Unit.objects.in_bulk([r["unit_id"] for r in by_unit])
    for row in by_unit:
        row["unit"] = units[row["unit_id"]]
        _add_rates(row)
    by_unit.sort(key=lambda r: (-r["overdue"], -r["open"], r["unit"].code))
    return by_unit


def _add_rates(row: dict) -> None:
    """Mean days to close, repeat rate and on-time rate of a row of counts."""
    row["mean_days"] = round(row["days"] / row["closed"], 1) if row["closed"] else None
    row["repeat_rate"] = _pct(row["repeats"], row["raised"])
    row["on_time_rate"] = _pct(row["on_time"], row["closed"])


def _totals(rows: list[dict], by_unit: list[dict]) -> dict:
    closed = sum(r["closed"] for r in rows)
    days = sum(r["days"] for r in rows)
    return {
        "open": sum(r["open"] for r in by_unit),
        "overdue": sum(r["overdue"] for r in by_unit),
        "raised": sum(r["raised"] for r in rows),
        "closed": closed,
        "on_time_rate": _pct(sum(r["on_time"] for r in rows), closed),
        "mean_days": round(days / closed, 1) if closed else None,
        "repeat_rate": _pct(
            sum(r["repeats"] for r in rows), sum(r["raised"] for r in rows)
        ),
    }


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def overdue_for(person, center, today=None, limit: int = 8) -> dict:
    """Overdue problems of the windows a committee member is paired with, for
    their home page; the whole center's reach the director as figures."""
    today = today or timezone.localdate()
    paired = Pairing.objects.active().filter(member=person).values("unit_id")
    overdue = Problem.objects.overdue(today).filter(unit_id__in=paired)
    rows = list(overdue.select_related("unit").order_by("deadline")[:limit])
    if not rows:
        return {}
    return {"paired_overdue": rows, "paired_overdue_count": overdue.count()}
