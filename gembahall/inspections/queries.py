"""Reads across inspections: rankings (红黑榜), a unit's score history and the
running score of an inspection in progress."""

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, Prefetch, Sum
from django.db.models.functions import TruncMonth

from gembahall.core.models import Photo
from gembahall.core.urls_fast import record_url
from gembahall.standards.models import ReferencePhoto
from gembahall.standards.queries import season_swaps

from . import scoring
from .models import Inspection, ItemResult

CENT = Decimal("0.01")

TOP_N = 5
# A window goes on the red or black list only with this many official
# inspections in the month: one good or bad morning is not a month's record.
# A round inspects each unit once, so one is enough there.
LIST_MIN_INSPECTIONS = 2


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def ranked_inspections(center, *, start=None, end=None, round=None):
    """The official final inspections a ranking is made of."""
    inspections = Inspection.objects.official().final().filter(center=center)
    if round is not None:
        return inspections.filter(round=round)
    return inspections.filter(inspected_on__range=(start, end))


def ranking_stamp(center, **period) -> str:
    """Changes whenever the ranking of the period would: a new final inspection,
    or a renamed unit."""
    stamp = ranked_inspections(center, **period).aggregate(
        n=Count("id"), last=Max("finalized_at")
    )
    last = stamp["last"].timestamp() if stamp["last"] else 0
    return f"{center.org_version}:{stamp['n']}:{last}"


def ranking(center, *, start: date | None = None, end: date | None = None, round=None):
    """Official final scores averaged per unit, in one query: windows ranked
    with the top and bottom lists, by department and by zone; leadership and
    offices apart."""
    inspections = ranked_inspections(center, start=start, end=end, round=round)
    rows = list(
        inspections.values(
            "unit_id",
            "unit__public_id",
            "unit__code",
            "unit__name",
            "unit__kind",
            "unit__department__name",
            "unit__zone__name",
        )
        .annotate(
            score=Avg("score"),
            inspections=Count("id"),
            deductions=Sum("deduction_count"),
        )
        .order_by("-score", "unit__code")
    )
    for row in rows:
        row["url"] = record_url("org:unit_detail", row["unit__public_id"])
    windows = sorted(
        (r for r in rows if r["unit__kind"] in ("window", "intermediary")),
        key=lambda r: (-_tie_key(r), r["unit__code"]),
    )
    # Equal scores, as the table shows them, share a place (1, 2, 2, 4).
    for index, row in enumerate(windows):
        tied = index and _tie_key(row) == _tie_key(windows[index - 1])
        row["place"] = windows[index - 1]["place"] if tied else index + 1
    needed = 1 if round is not None else LIST_MIN_INSPECTIONS
    for row in windows:
        row["listable"] = row["inspections"] >= needed
    listable = [r for r in windows if r["listable"]]
    top = _with_ties(listable, TOP_N)
    rest = listable[len(top) :]
    bottom = _with_ties(rest[::-1], TOP_N) if len(listable) > TOP_N else []
    others = [r for r in rows if r["unit__kind"] in ("leadership", "office")]
    areas = [r for r in rows if r["unit__kind"] == "zone"]
    return {
        "windows": windows,
        "top": top,
        "bottom": bottom,
        "list_size": TOP_N,
        "min_inspections": needed,
        "departments": _grouped(windows, "unit__department__name"),
        "zones": _grouped(windows, "unit__zone__name"),
        "offices": others,
        "areas": areas,
    }


def _tie_key(row) -> Decimal:
    """The score as the page and the bulletin show it (floatformat:2 rounds
    the float's decimal form half up), so windows showing equal scores share
    a place and windows showing different ones never do."""
    return Decimal(repr(float(row["score"]))).quantize(CENT, ROUND_HALF_UP)


def _with_ties(rows: list[dict], n: int) -> list[dict]:
    """The first n rows and every row tied with the n-th: a tie is never cut
    by the order of codes."""
    if len(rows) <= n:
        return rows
    last = _tie_key(rows[n - 1])
    return rows[:n] + [r for r in rows[n:] if _tie_key(r) == last]


def _grouped(rows, key: str) -> list[dict]:
    groups: dict[str, list] = {}
    for row in rows:
        if row[key]:
            groups.setdefault(row[key], []).append(row["score"])
    return sorted(
        (
            {"name": name, "score": sum(scores) / len(scores), "units": len(scores)}
            for name, scores in groups.items()
        ),
        key=lambda g: -g["score"],
    )


def unit_history(unit, months: int = 12) -> dict:
    """Monthly average official score, and the latest deductions with photos."""
    monthly = list(
        Inspection.objects.official()
        .final()
        .filter(unit=unit)
        .annotate(month=TruncMonth("inspected_on"))
        .values("month")
        .annotate(score=Avg("score"), n=Count("id"))
        .order_by("-month")[:months]
    )[::-1]
    latest = (
        ItemResult.objects.filter(
            inspection__unit=unit,
            inspection__state=Inspection.State.FINAL,
            outcome=ItemResult.Outcome.DEDUCT,
        )
        .select_related("item", "inspection", "problem")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.only("public_id")))
        .order_by("-inspection__inspected_on", "item__position")[:10]
    )
    return {
        "chart": {
            "months": [m["month"].strftime("%Y-%m") for m in monthly],
            "scores": [round(float(m["score"]), 1) for m in monthly],
        },
        "latest": latest,
    }


def inspection_results(inspection: Inspection):
    """An inspection's item results with what the page shows beside each: the
    standard in force on the inspection's day (`standard`: a seasonal item's
    standard of that season) with its reference photos, and the evidence
    photos."""
    refs = ReferencePhoto.objects.select_related("photo").order_by("position")
    results = list(
        inspection.results.select_related(
            "item", "item__standard", "item__standard__current"
        )
        .prefetch_related(
            "photos", Prefetch("item__standard__current__photos", queryset=refs)
        )
        # By chapter first: the page heads each chapter once, whatever the
        # items' numbers.
        .order_by("item__chapter", "item__position")
    )
    swaps = season_swaps(inspection.center, inspection.inspected_on, with_photos=True)
    for result in results:
        result.standard = swaps.get(result.item.standard_id, result.item.standard)
    return results


def running_score(results) -> dict:
    """The score so far (items not yet checked count as passed) and progress."""
    answered = sum(r.outcome != ItemResult.Outcome.PENDING for r in results)
    return {
        "score": scoring.score(
            (r.item.max_points, r.points, r.outcome) for r in results
        ),
        "answered": answered,
        "total": len(results),
        "deducted": sum((r.points for r in results), scoring.ZERO),
    }
