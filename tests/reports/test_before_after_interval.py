"""The interval of a KPI's change on the before/after report, against plain
computations written here from the definitions."""

import numpy as np

from gembahall.reports import before_after
from gembahall.reports.before_after import RESAMPLES, SEED, change_interval


def _period(rng, n, rate):
    den = rng.poisson(20, n).astype(float) + 1
    num = rng.binomial(den.astype(int), rate).astype(float)
    return num, den


def _plain_bootstrap(nb, db, na, da, rng, resamples):
    diffs = []
    for num, den, sign in ((na, da, 1), (nb, db, -1)):
        index = rng.integers(0, len(num), size=(resamples, len(num)))
        diffs.append(sign * num[index].sum(axis=1) / den[index].sum(axis=1))
    return np.percentile(diffs[0] + diffs[1], [2.5, 97.5])


def test_a_small_center_gets_the_percentile_bootstrap():
    data = np.random.default_rng(7)
    nb, db = _period(data, 300, 0.80)
    na, da = _period(data, 280, 0.85)
    low, high = change_interval(nb, db, na, da, np.random.default_rng(SEED))
    expected = _plain_bootstrap(nb, db, na, da, np.random.default_rng(SEED), RESAMPLES)
    assert np.allclose([low, high], expected)


def test_the_bootstrap_is_drawn_a_slice_at_a_time_with_the_same_result(
    monkeypatch,
):
    data = np.random.default_rng(8)
    nb, db = _period(data, 300, 0.80)
    na, da = _period(data, 300, 0.82)
    whole = change_interval(nb, db, na, da, np.random.default_rng(SEED))
    monkeypatch.setattr(before_after, "CHUNK_CELLS", 300 * 7)
    sliced = change_interval(nb, db, na, da, np.random.default_rng(SEED))
    assert np.allclose(whole, sliced)


def test_a_large_center_gets_the_delta_method_which_agrees_with_the_bootstrap():
    data = np.random.default_rng(9)
    n = before_after.BOOTSTRAP_MAX_UNITS + 1000
    nb, db = _period(data, n, 0.80)
    na, da = _period(data, n, 0.81)
    low, high = change_interval(nb, db, na, da, np.random.default_rng(SEED))
    change = na.sum() / da.sum() - nb.sum() / db.sum()
    assert low < change < high
    assert np.isclose(change - low, high - change)  # symmetric, not resampled
    boot_low, boot_high = _plain_bootstrap(
        nb, db, na, da, np.random.default_rng(1), 1000
    )
    width = high - low
    assert abs(low - boot_low) < 0.1 * width
    assert abs(high - boot_high) < 0.1 * width
