"""The per-window evidence's figures equal a hand-rolled computation in plain
Python (pairwise slopes, average ranks, sorted thirds) on random windows."""

import math
import statistics

import numpy as np
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from gembahall.reports import evidence
from gembahall.reports.evidence import RESAMPLES, SEED, link_figures


def ranks(values):
    """Average ranks, 1-based, ties sharing the mean of their places."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def pearson(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    return sab / math.sqrt(saa * sbb) if saa and sbb else math.nan


def spearman(x, y):
    return pearson(ranks(x), ranks(y))


def theil_sen(x, y):
    slopes = [
        (y[j] - y[i]) / (x[j] - x[i])
        for i in range(len(x))
        for j in range(i + 1, len(x))
        if x[j] != x[i]
    ]
    slope = statistics.median(slopes)
    return slope, statistics.median(y) - slope * statistics.median(x)


def percentile_interval(values):
    finite = sorted(v for v in values if not math.isnan(v))
    return (
        float(np.percentile(finite, 2.5)),
        float(np.percentile(finite, 97.5)),
    )


def reference(x, y):
    """The same figures, window by window in plain Python; the bootstrap
    draws the same resamples (same seed, same order) and recomputes each
    statistic by hand."""
    n = len(x)
    rng = np.random.default_rng(SEED)
    out = {}
    if max(x) > min(x):
        out["slope"], out["intercept"] = theil_sen(x, y)
    if max(x) > min(x) and max(y) > min(y):
        out["rho"] = spearman(x, y)
        draws = rng.integers(0, n, size=(RESAMPLES, n)).tolist()
        out["rho_low"], out["rho_high"] = percentile_interval(
            spearman([x[i] for i in row], [y[i] for i in row]) for row in draws
        )
    by_score = sorted(range(n), key=lambda i: (x[i], i))
    k = n // 3
    bottom = [y[i] for i in by_score[:k]]
    top = [y[i] for i in by_score[n - k :]]
    out["third"] = k
    out["top"], out["bottom"] = sum(top) / k, sum(bottom) / k
    out["did"] = out["top"] - out["bottom"]
    top_draws = rng.integers(0, k, (RESAMPLES, k)).tolist()
    bottom_draws = rng.integers(0, k, (RESAMPLES, k)).tolist()
    out["did_low"], out["did_high"] = percentile_interval(
        sum(top[i] for i in t) / k - sum(bottom[i] for i in b) / k
        for t, b in zip(top_draws, bottom_draws, strict=True)
    )
    return out


# Scores move by whole and half points; KPI changes are rounded, so ties
# happen as they do in a real hall.
windows = st.integers(min_value=6, max_value=24).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(-20, 20).map(lambda v: v / 2), min_size=n, max_size=n),
        st.lists(
            st.floats(-10, 10, allow_nan=False).map(lambda v: round(v, 1)),
            min_size=n,
            max_size=n,
        ),
    )
)


@hsettings(max_examples=25, deadline=None)
@given(windows)
def test_the_evidence_equals_a_hand_rolled_computation(data):
    x, y = data
    ours = link_figures(x, y, np.random.default_rng(SEED))
    expected = reference(x, y)
    assert ours.keys() == expected.keys()
    for name, value in expected.items():
        assert math.isclose(ours[name], value, rel_tol=1e-9, abs_tol=1e-9), name


def test_a_link_is_read_by_its_interval_and_the_kpis_direction():
    from gembahall.reports.before_after import KPIS

    wait = next(k for k in KPIS if k.key == "wait_avg_min")
    link = evidence.Link(wait, rho=-0.6, rho_low=-0.8, rho_high=-0.3)
    assert link.significant and link.direction == 1
    link.rho_high = 0.1
    assert not link.significant and link.direction == 0
