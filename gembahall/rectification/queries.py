"""Reading problems: the dashboard's figures, read from per-day groups so the
work does not grow with the number of problems shown, and cached until a
problem changes or the day turns."""

from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from gembahall.org.models import Pairing, Unit

from .models import OWNER_STATES, Problem


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
    since = starts[0]
    problems = Problem.objects.filter(center=center)
    monthly = {
        s: {"month": s, "raised": 0, "repeats": 0, "closed": 0, "on_time": 0, "days": 0}
        for s in starts
    }

    def month_of(day):
        return monthly[day.replace(day=1)]

    for row in (
        problems.filter(raised_on__range=(since, today))
        .values("raised_on")
        .annotate(n=Count("pk"), repeats=Count("pk", filter=Q(repeat_of__isnull=False)))
    ):
        month = month_of(row["raised_on"])
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
        month = month_of(row["closed_on"])
        month["closed"] += row["n"]
        month["on_time"] += row["on_time"]
        month["days"] += row["days"] or 0
    rows = list(monthly.values())
    for row in rows:
        row["mean_days"] = (
            round(row["days"] / row["closed"], 1) if row["closed"] else None
        )
        row["repeat_rate"] = _pct(row["repeats"], row["raised"])
        row["on_time_rate"] = _pct(row["on_time"], row["closed"])

    by_unit = list(
        problems.filter(Q(raised_on__gte=since) | ~Q(state="closed"))
        .values("unit_id")
        .annotate(
            raised=Count("pk", filter=Q(raised_on__gte=since)),
            open=Count("pk", filter=~Q(state="closed")),
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
        row["mean_days"] = (
            round(row["days"] / row["closed"], 1) if row["closed"] else None
        )
        row["repeat_rate"] = _pct(row["repeats"], row["raised"])
        row["on_time_rate"] = _pct(row["on_time"], row["closed"])
    by_unit.sort(key=lambda r: (-r["overdue"], -r["open"], r["unit"].code))
    closed = sum(r["closed"] for r in rows)
    totals = {
        "open": sum(r["open"] for r in by_unit),
        "overdue": sum(r["overdue"] for r in by_unit),
        "raised": sum(r["raised"] for r in rows),
        "closed": closed,
        "on_time_rate": _pct(sum(r["on_time"] for r in rows), closed),
        "mean_days": round(sum(r["days"] for r in rows) / closed, 1)
        if closed
        else None,
        "repeat_rate": _pct(
            sum(r["repeats"] for r in rows), sum(r["raised"] for r in rows)
        ),
    }
    chart = {
        "labels": [f"{r['month']:%Y-%m}" for r in rows],
        "raised": [r["raised"] for r in rows],
        "closed": [r["closed"] for r in rows],
        "on_time_rate": [r["on_time_rate"] for r in rows],
    }
    return {"months": rows, "units": by_unit, "totals": totals, "chart": chart}


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
