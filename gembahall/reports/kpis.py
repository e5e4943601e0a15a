"""The service KPIs, read from the rollup tables only. Each definition —
numerator, denominator, exclusions — is written down in docs/kpis.md; this
module keeps to it."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from gembahall.casework.models import Case
from gembahall.casework.rollups import (
    Dimension,
    case_sums,
    open_window_days,
    parse_item_key,
    ticket_sums,
    ticket_total,
)
from gembahall.ratings.models import FollowUp, RatingStat
from gembahall.ratings.rollups import SUB_COUNTERS, SUB_SCORES


@dataclass(frozen=True)
class Scope:
    """Where the KPIs are taken: the center, or one department, window, staff
    member (staff key) or business (item key) of it."""

    center_id: int
    department_id: int | None = None
    window_id: int | None = None
    staff_key: str | None = None
    item_key: str | None = None

    def dimension(self) -> tuple[Dimension, str]:
        """The rollup rows that hold this scope: a dimension and its key."""
        if self.window_id is not None:
            return Dimension.WINDOW, str(self.window_id)
        if self.staff_key is not None:
            return Dimension.STAFF, self.staff_key
        if self.item_key is not None:
            return Dimension.ITEM, self.item_key
        if self.department_id is not None:
            return Dimension.DEPARTMENT, str(self.department_id)
        return Dimension.CENTER, ""

    def rollup(self, start: date, end: date) -> dict:
        """The keyword arguments of casework's rollup reads for this scope."""
        dim, key = self.dimension()
        return {
            "center_id": self.center_id,
            "dim": dim,
            "key": key,
            "start": start,
            "end": end,
        }


def satisfied_count(levels: dict) -> int:
    """Ratings at the satisfied level or above, from counts l1 … l5."""
    return sum(levels[f"l{lv}"] for lv in range(settings.GEMBAHALL_SATISFIED_LEVEL, 6))


def ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def percentile_from(histogram: list[tuple[int, int]], q: float) -> int | None:
    """Nearest-rank percentile of whole minutes from (minute, count) pairs."""
    total = sum(n for _m, n in histogram)
    if not total:
        return None
    rank, seen = -(-total * q // 1), 0  # ceil(q × total)
    rank = max(1, int(rank))
    for minute, n in sorted(histogram):
        seen += n
        if seen >= rank:
            return minute
    return None


def over_threshold(histogram: list[int]) -> int:
    return sum(histogram[settings.GEMBAHALL_WAIT_THRESHOLD_MINUTES :])


def ticket_kpis(scope: Scope, start: date, end: date) -> dict:
    sums = ticket_sums(**scope.rollup(start, end))
    histogram = sums["histogram"]
    window_days = open_window_days(**scope.rollup(start, end))
    return {
        "tickets": sums["taken"],
        "served": sums["served"],
        "wait_avg_min": _minutes(ratio(sums["wait_sum"], sums["waited"])),
        "wait_p90_min": percentile_from(list(enumerate(histogram)), 0.9),
        "wait_over_rate": ratio(over_threshold(histogram), sum(histogram)),
        "handle_avg_min": _minutes(ratio(sums["handle_sum"], sums["handled"])),
        "no_show_rate": ratio(sums["no_show"], sums["taken"]),
        "return_rate": ratio(sums["returned"], sums["taken"]),
        "window_days": window_days,
        "throughput": None
        if window_days is None
        else ratio(sums["served"], window_days),
    }


def _minutes(seconds):
    return None if seconds is None else seconds / 60


def case_kpis(scope: Scope, start: date, end: date, today: date) -> dict:
    s = case_sums(
        center_id=scope.center_id,
        start=start,
        end=end,
        department_id=scope.department_id,
        item_key=scope.item_key,
    )
    open_cases = Case.objects.filter(
        center_id=scope.center_id,
        completed_at__isnull=True,
        outcome__in=(Case.Outcome.OPEN, Case.Outcome.CORRECTION),
    )
    if scope.department_id is not None:
        open_cases = open_cases.filter(department_id=scope.department_id)
    if scope.item_key is not None:
        item_id, name = parse_item_key(scope.item_key)
        if item_id is not None:
            open_cases = open_cases.filter(service_item_id=item_id)
        else:
            open_cases = open_cases.filter(service_item__isnull=True, item_name=name)
    past = open_cases.aggregate(n=Count("pk", filter=Q(deadline__lt=today)))["n"]
    return {
        "cases": s["accepted"],
        "completed": s["completed"],
        "on_time_rate": ratio(s["on_time"], s["completed"]),
        "early_rate": ratio(s["early"], s["completed"]),
        "overdue_rate": ratio(s["overdue"], s["completed"]),
        "compression": (
            1 - s["actual_days"] / s["promised_days"] if s["promised_days"] else None
        ),
        "immediate_rate": ratio(s["same_day"], s["completed"]),
        "notice_compliance": (
            1 - s["notice_breached"] / s["noticed"] if s["noticed"] else None
        ),
        "open_past_deadline": past,
    }


# Return visits that reached the citizen; an unreachable one counts in neither.
REACHED = (FollowUp.VisitOutcome.SATISFIED, FollowUp.VisitOutcome.DISSATISFIED)


def rating_kpis(scope: Scope, start: date, end: date, today: date) -> dict:
    """Rating KPIs; excluded ratings are left out everywhere."""
    q = Q(center_id=scope.center_id, day__range=(start, end))
    if scope.department_id is not None:
        q &= Q(department_id=scope.department_id)
    if scope.window_id is not None:
        q &= Q(window_id=scope.window_id)
    if scope.staff_key is not None:
        q &= Q(staff_key=scope.staff_key)
    levels = ("n", "l1", "l2", "l3", "l4", "l5", *SUB_COUNTERS)
    sums = RatingStat.objects.filter(q).aggregate(**{f: Sum(f) for f in levels})
    s = {k: v or 0 for k, v in sums.items()}
    served = ticket_total(**scope.rollup(start, end), counter="served")
    satisfied = satisfied_count(s)
    # Bad-rating follow-ups are few (a handful a day): read them directly.
    fq = Q(
        center_id=scope.center_id,
        rating__day__range=(start, end),
        rating__excluded_at__isnull=True,
    )
    if scope.department_id is not None:
        fq &= Q(rating__department_id_at=scope.department_id)
    if scope.window_id is not None:
        fq &= Q(rating__window_id=scope.window_id)
    if scope.staff_key is not None:
        fq &= Q(rating__staff_key=scope.staff_key)
    followups = list(
        FollowUp.objects.filter(fq).values_list(
            "callback_due",
            "called_back_at",
            "rectified_on_time",
            "problem__deadline",
            "visit_outcome",
        )
    )
    callback_due = callback_ok = fix_due = fix_ok = reached = pleased = 0
    for due, called, fixed_on_time, deadline, visit in followups:
        # A return visit counts once the citizen was reached.
        if visit in REACHED:
            reached += 1
            pleased += visit == FollowUp.VisitOutcome.SATISFIED
        if called is not None:
            callback_due += 1
            callback_ok += timezone.localdate(called) <= due
        elif due < today:
            callback_due += 1
        if fixed_on_time is not None:
            fix_due += 1
            fix_ok += fixed_on_time
        elif deadline is not None and deadline < today:
            fix_due += 1
    return {
        "ratings": s["n"],
        "participation": ratio(s["n"], served),
        "satisfaction": ratio(satisfied, s["n"]),
        "bad_rate": ratio(s["l1"] + s["l2"], s["n"]),
        "callback_on_time": ratio(callback_ok, callback_due),
        "rectify_on_time": ratio(fix_ok, fix_due),
        "visit_satisfied": ratio(pleased, reached),
        # Average stars of each sub-score over the citizens who gave it.
        **{f"{sub}_avg": ratio(s[f"{sub}_sum"], s[f"{sub}_n"]) for sub in SUB_SCORES},
    }
