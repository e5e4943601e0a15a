"""Per-window evidence for 双提升: whether the windows whose OSM inspection
scores rose more also improved their service more.

Each window is one point: the change in its mean official inspection score
(comparison period − baseline) against the change in its average wait,
average handling and satisfaction. For each KPI: a robust line (Theil–Sen:
the median of the slopes between every pair of windows), Spearman's rank
correlation with a 95% bootstrap interval over windows, and the windows
whose scores rose most (top third) against those whose scores rose least
(bottom third) — the difference of their mean KPI changes, with its
interval (a difference-in-differences). The figures show an association
across windows; they cannot show that the inspections caused it."""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Avg
from scipy import stats

from gembahall.inspections.models import Inspection
from gembahall.org.models import Unit

# Fewer windows than this with data in both periods give no figures at all.
MIN_WINDOWS = 6
RESAMPLES = 2000
SEED = 36112  # fixed, so the page and its PDF show the same intervals
# (KPI key, numerator, denominator) of the per-window service figures.
MEASURES = [
    ("wait_avg_min", "wait_sum", "waited"),
    ("handle_avg_min", "handle_sum", "handled"),
    ("satisfaction", "satisfied", "n"),
]


@dataclass
class Link:
    """How one KPI's change goes with the OSM score's change over windows."""

    kpi: object  # a before_after.Kpi
    labels: list[str] = field(default_factory=list)
    x: list[float] = field(default_factory=list)  # score change, points
    y: list[float] = field(default_factory=list)  # KPI change, KPI units
    slope: float | None = None
    intercept: float | None = None
    rho: float | None = None
    rho_low: float | None = None
    rho_high: float | None = None
    third: int = 0
    top: float | None = None
    bottom: float | None = None
    did: float | None = None
    did_low: float | None = None
    did_high: float | None = None

    @property
    def windows(self) -> int:
        return len(self.x)

    @property
    def significant(self) -> bool:
        return self.rho_low is not None and (self.rho_low > 0 or self.rho_high < 0)

    @property
    def direction(self) -> int:
        """+1: windows whose scores rose more improved this KPI more; −1: the
        opposite; 0: no link the interval is sure of."""
        if not self.significant:
            return 0
        return 1 if self.rho * self.kpi.better > 0 else -1

    @property
    def did_significant(self) -> bool:
        return self.did_low is not None and (self.did_low > 0 or self.did_high < 0)


@dataclass
class Evidence:
    windows: int  # with a score and service records in both periods
    links: list[Link]

    @property
    def enough(self) -> bool:
        return self.windows >= MIN_WINDOWS


def _interval(values) -> tuple[float | None, float | None]:
    values = values[np.isfinite(values)]
    if not len(values):
        return None, None
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def rank_correlations(x, y, rng) -> np.ndarray:
    """Spearman's rho of RESAMPLES bootstrap resamples of the pairs (NaN
    where a resample has no spread)."""
    index = rng.integers(0, len(x), size=(RESAMPLES, len(x)))
    rx = stats.rankdata(x[index], axis=1)
    ry = stats.rankdata(y[index], axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rx * ry).sum(axis=1) / np.sqrt(
            (rx**2).sum(axis=1) * (ry**2).sum(axis=1)
        )


def thirds(x) -> tuple[np.ndarray, np.ndarray]:
    """The indices of the bottom and the top third by x (ties by order)."""
    order = np.argsort(x, kind="stable")
    k = len(x) // 3
    return order[:k], order[len(x) - k :]


def link_figures(x, y, rng) -> dict:
    """The figures of one link from the windows' score changes x and KPI
    changes y (equal-length arrays, at least three windows)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    out = {}
    if np.ptp(x) > 0:
        slope, intercept, _low, _high = stats.theilslopes(y, x)
        out["slope"], out["intercept"] = float(slope), float(intercept)
    if np.ptp(x) > 0 and np.ptp(y) > 0:
        out["rho"] = float(stats.spearmanr(x, y).statistic)
        out["rho_low"], out["rho_high"] = _interval(rank_correlations(x, y, rng))
    bottom, top = thirds(x)
    out["third"] = len(top)
    if len(top):
        out["top"], out["bottom"] = float(y[top].mean()), float(y[bottom].mean())
        out["did"] = out["top"] - out["bottom"]
        top_means = y[top][rng.integers(0, len(top), (RESAMPLES, len(top)))]
        bottom_means = y[bottom][rng.integers(0, len(top), (RESAMPLES, len(top)))]
        out["did_low"], out["did_high"] = _interval(
            top_means.mean(axis=1) - bottom_means.mean(axis=1)
        )
    return out


def window_scores(center, period) -> dict[int, float]:
    """Each window's mean official inspection score in the period."""
    return {
        unit: float(score)
        for unit, score in Inspection.objects.official()
        .final()
        .filter(
            center=center,
            inspected_on__range=period,
            score__isnull=False,
            unit__kind__in=Unit.WINDOW_KINDS,
        )
        .values("unit_id")
        .annotate(s=Avg("score"))
        .values_list("unit_id", "s")
    }


def _per_window(window_days: dict) -> dict:
    sums = defaultdict(lambda: defaultdict(int))
    for (_day, window), unit in window_days.items():
        for _key, num, den in MEASURES:
            sums[window][num] += unit.get(num, 0)
            sums[window][den] += unit.get(den, 0)
    return sums


def window_evidence(center, baseline, comparison, window_days, kpis) -> Evidence:
    """The evidence from the two periods' window-day sums (as the report
    reads them) and the windows' inspection scores."""
    rng = np.random.default_rng(SEED)
    before, after = window_scores(center, baseline), window_scores(center, comparison)
    service = [_per_window(days) for days in window_days]
    scored = sorted(set(before) & set(after))
    codes = dict(Unit.objects.filter(pk__in=scored).values_list("pk", "code"))
    links, counted = [], set()
    for key, num, den in MEASURES:
        kpi = kpis[key]
        link = Link(kpi)
        for window in scored:
            b, a = service[0].get(window), service[1].get(window)
            if not (b and a and b[den] and a[den]):
                continue
            counted.add(window)
            link.labels.append(codes.get(window) or str(window))
            link.x.append(after[window] - before[window])
            link.y.append((a[num] / a[den] - b[num] / b[den]) * kpi.scale)
        links.append(link)
    evidence = Evidence(len(counted), links)
    if evidence.enough:
        for link in links:
            if link.windows >= 3:
                for name, value in link_figures(link.x, link.y, rng).items():
                    setattr(link, name, value)
    return evidence
