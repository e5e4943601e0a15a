"""The before/after report: every KPI in a baseline period against a
comparison period, with a 95% bootstrap confidence interval of the change,
and the 双提升 verdict.

Method (printed on the report): each KPI is a ratio of sums (e.g. total
waiting seconds ÷ tickets that waited). The sampling unit is the window-day
— one window on one day — so that tickets of the same window and day, which
move together, stay together; case KPIs, which the case systems record per
department, resample department-days. Each period is resampled with
replacement 2,000 times, the KPI recomputed, and the 2.5th and 97.5th
percentiles of the differences give the interval. When both periods hold
more than 2,000 units (a large center over months) the interval comes from
the delta method instead, to which the bootstrap converges; it costs one
pass over the units where the bootstrap would cost 2,000. A change is significant
when the interval excludes zero. The per-window evidence beside it is in
`evidence`.

The whole report is cached per center, period pair and data version: the
version moves with every write to the center's service rollups, to its
units, and to the inspections of the periods."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext_lazy as _

from gembahall.casework.rollups import (
    Dimension,
    case_sums_by,
    histogram_merge,
    ticket_rows,
)
from gembahall.inspections.models import Inspection
from gembahall.ratings.models import Rating, RatingStat

from .evidence import Evidence, window_evidence
from .kpis import satisfied_count

RESAMPLES = 2000
# Beyond this many units in each period the interval comes from the delta
# method (see change_interval).
BOOTSTRAP_MAX_UNITS = 2000
# At most this many cells of resample indexes at once (about 32 MB).
CHUNK_CELLS = 4_000_000
Z95 = 1.959963984540054
SEED = 20121  # fixed, so the page and its PDF show the same intervals


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    numerator: str
    denominator: str
    better: int  # +1 higher is better, −1 lower is better
    group: str  # "quality", "efficiency" or ""
    unit: str = "pct"  # pct, min or num
    scale: float = 1.0
    cases: bool = False


KPIS = [
    Kpi(
        "wait_avg_min",
        _("Average wait (min)"),
        "wait_sum",
        "waited",
        -1,
        "efficiency",
        "min",
        1 / 60,
    ),
    Kpi("wait_over_rate", _("Waited too long"), "over", "waited", -1, ""),
    Kpi(
        "handle_avg_min",
        _("Average handling (min)"),
        "handle_sum",
        "handled",
        -1,
        "efficiency",
        "min",
        1 / 60,
    ),
    Kpi("no_show_rate", _("No-shows"), "no_show", "taken", -1, ""),
    Kpi("throughput", _("Served per open window-day"), "served", "open", 1, "", "num"),
    Kpi(
        "on_time_rate",
        _("Completed on time"),
        "on_time",
        "completed",
        1,
        "efficiency",
        cases=True,
    ),
    Kpi(
        "compression",
        _("Time saved on promised limits"),
        "saved",
        "promised_days",
        1,
        "",
        cases=True,
    ),
    Kpi(
        "notice_compliance",
        _("One-time notice kept"),
        "kept",
        "noticed",
        1,
        "quality",
        cases=True,
    ),
    Kpi("satisfaction", _("Satisfaction"), "satisfied", "n", 1, "quality"),
    Kpi("bad_rate", _("Bad reviews"), "bad", "n", -1, "quality"),
    Kpi("participation", _("Rating participation"), "n", "served", 1, ""),
]


@dataclass
class Change:
    kpi: Kpi
    before: float | None
    after: float | None
    low: float | None = None
    high: float | None = None
    units_before: int = 0
    units_after: int = 0

    @property
    def change(self):
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def significant(self) -> bool:
        return self.low is not None and (self.low > 0 or self.high < 0)

    @property
    def improved(self) -> bool:
        return self.significant and self.change * self.kpi.better > 0

    @property
    def worsened(self) -> bool:
        return self.significant and self.change * self.kpi.better < 0


@dataclass
class Report:
    baseline: tuple[date, date]
    comparison: tuple[date, date]
    changes: list[Change]
    quality_up: bool
    efficiency_up: bool
    evidence: Evidence | None = None

    @property
    def verdict(self) -> bool:
        return self.quality_up and self.efficiency_up


def _window_days(center_id, start, end) -> dict:
    """Per (day, window): the sums the window-day KPIs need."""
    units = defaultdict(lambda: defaultdict(int))
    threshold = settings.GEMBAHALL_WAIT_THRESHOLD_MINUTES
    fields = (
        "taken",
        "served",
        "no_show",
        "waited",
        "wait_sum",
        "handled",
        "handle_sum",
    )
    for day, key, *values, minutes in ticket_rows(
        center_id=center_id,
        dim=Dimension.WINDOW,
        start=start,
        end=end,
        counters=fields,
    ):
        unit = units[(day, int(key))]
        for name, value in zip(fields, values, strict=True):
            unit[name] += value
        unit["over"] += sum(histogram_merge([minutes])[threshold:])
        unit["open"] = 1 if unit["served"] else 0
    for row in (
        RatingStat.objects.filter(center_id=center_id, day__range=(start, end))
        .values("day", "window_id")
        .annotate(**{f: Sum(f) for f in ("n", "l1", "l2", "l3", "l4", "l5")})
    ):
        unit = units[(row["day"], row["window_id"])]
        unit["n"] += row["n"]
        unit["bad"] += row["l1"] + row["l2"]
        unit["satisfied"] += satisfied_count(row)
    return units


def _department_days(center_id, start, end) -> dict:
    units = {}
    for row in case_sums_by(
        center_id=center_id,
        start=start,
        end=end,
        group=("day", "department_id"),
        counters=(
            "completed",
            "on_time",
            "actual_days",
            "promised_days",
            "noticed",
            "notice_breached",
        ),
    ):
        row["saved"] = row["promised_days"] - row["actual_days"]
        row["kept"] = row["noticed"] - row["notice_breached"]
        units[(row["day"], row["department_id"])] = row
    return units


def _arrays(units: dict, kpi: Kpi):
    rows = [u for u in units.values() if u.get(kpi.denominator)]
    num = np.array([u.get(kpi.numerator, 0) for u in rows], dtype=float)
    den = np.array([u.get(kpi.denominator, 0) for u in rows], dtype=float)
    return num, den


def _resampled(num, den, rng) -> np.ndarray:
    """The KPI of RESAMPLES resamples, drawn a slice at a time so that memory
    stays bounded whatever the number of units."""
    out = np.empty(RESAMPLES)
    step = max(1, CHUNK_CELLS // max(1, len(num)))
    for first in range(0, RESAMPLES, step):
        count = min(step, RESAMPLES - first)
        index = rng.integers(0, len(num), size=(count, len(num)))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[first : first + count] = num[index].sum(axis=1) / den[index].sum(axis=1)
    return out


def _ratio_variance(num, den) -> float:
    """The variance of a ratio of sums by the delta method: the variance of
    num − R·den over the units, divided by n times the mean denominator
    squared."""
    ratio = num.sum() / den.sum()
    return float(np.var(num - ratio * den, ddof=1) / (len(num) * den.mean() ** 2))


def change_interval(nb, db, na, da, rng) -> tuple[float, float] | None:
    """The 95% interval of the after − before change of a ratio of sums.

    Up to BOOTSTRAP_MAX_UNITS units a period, the percentile bootstrap; beyond
    it (a large center over months) the delta method, which the bootstrap
    approaches as the units grow and which costs one pass over them."""
    if min(len(nb), len(na)) > BOOTSTRAP_MAX_UNITS:
        change = na.sum() / da.sum() - nb.sum() / db.sum()
        spread = Z95 * np.sqrt(_ratio_variance(na, da) + _ratio_variance(nb, db))
        return change - spread, change + spread
    diffs = _resampled(na, da, rng) - _resampled(nb, db, rng)
    diffs = diffs[np.isfinite(diffs)]
    if not len(diffs):
        return None
    low, high = np.percentile(diffs, [2.5, 97.5])
    return low, high


def compare(center, baseline, comparison) -> Report:
    rng = np.random.default_rng(SEED)
    windows = [_window_days(center.pk, *p) for p in (baseline, comparison)]
    departments = [_department_days(center.pk, *p) for p in (baseline, comparison)]
    changes = []
    for kpi in KPIS:
        units = departments if kpi.cases else windows
        (nb, db), (na, da) = (_arrays(u, kpi) for u in units)
        change = Change(kpi, None, None, units_before=len(nb), units_after=len(na))
        if len(nb) and len(na):
            change.before = nb.sum() / db.sum() * kpi.scale
            change.after = na.sum() / da.sum() * kpi.scale
            interval = change_interval(nb, db, na, da, rng)
            if interval is not None:
                change.low, change.high = (x * kpi.scale for x in interval)
        changes.append(change)

    def up(group):
        chosen = [c for c in changes if c.kpi.group == group]
        return any(c.improved for c in chosen) and not any(c.worsened for c in chosen)

    return Report(
        baseline,
        comparison,
        changes,
        quality_up=up("quality"),
        efficiency_up=up("efficiency"),
        evidence=window_evidence(
            center, baseline, comparison, windows, {k.key: k for k in KPIS}
        ),
    )


# A cached report lives this long even when nothing changes.
CACHE_SECONDS = 24 * 3600


def data_version(center, baseline, comparison) -> str:
    """Changes whenever the report of these periods could: the service
    rollups, a new rating, the units (codes shown on the charts), or an
    inspection."""
    stamp = Inspection.objects.filter(
        center=center,
        inspected_on__range=(
            min(baseline[0], comparison[0]),
            max(baseline[1], comparison[1]),
        ),
    ).aggregate(n=Count("id"), last=Max("updated_at"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    # New ratings do not bump the service version (a citizen's post stays
    # one write): the newest rating's id stands for them.
    rated = Rating.objects.filter(center=center).aggregate(m=Max("id"))["m"]
    return f"{center.service_version}:{center.org_version}:{stamp['n']}:{last}:{rated}"


def report_for(center, baseline, comparison) -> Report:
    """The report, from the cache when the data has not changed since."""
    version = data_version(center, baseline, comparison)
    key = f"before-after:{center.pk}:{baseline[0]}:{baseline[1]}:"
    key += f"{comparison[0]}:{comparison[1]}:{version}"
    report = cache.get(key)
    if report is None:
        report = compare(center, baseline, comparison)
        cache.set(key, report, CACHE_SECONDS)
    return report
