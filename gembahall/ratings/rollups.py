"""The rating rollup: one row per day × window × staff, counts by level."""

from gembahall.casework.rollups import _upsert

from .models import RatingStat

COUNTERS = ("n", "l1", "l2", "l3", "l4", "l5")


def rating_delta(rating, sign: int) -> None:
    counts = [sign, 0, 0, 0, 0, 0]
    counts[rating.level] = sign
    _upsert(
        RatingStat,
        ("day", "window_id", "department_id", "staff_key"),
        COUNTERS,
        [
            (
                rating.center_id,
                rating.day.isoformat(),
                rating.window_id,
                rating.department_id_at,
                rating.staff_key,
                *counts,
            )
        ],
    )
