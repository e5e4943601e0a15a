"""The rating rollup: one row per day × window × staff, counts by level."""

from gembahall.casework.rollups import _upsert

from .models import RatingStat

COUNTERS = ("n", "l1", "l2", "l3", "l4", "l5")


def ratings_delta(ratings, sign: int) -> None:
    """Add (sign +1) or take out (−1) ratings, summed per rollup row."""
    rows: dict[tuple, list[int]] = {}
    for r in ratings:
        key = (r.center_id, r.day.isoformat(), r.window_id, r.department_id_at,
               r.staff_key)  # fmt: skip
        counts = rows.setdefault(key, [0] * len(COUNTERS))
        counts[0] += sign
        counts[r.level] += sign
    _upsert(
        RatingStat,
        ("day", "window_id", "department_id", "staff_key"),
        COUNTERS,
        [(*key, *counts) for key, counts in rows.items()],
    )
