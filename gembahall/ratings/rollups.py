"""The rating rollup: one row per day × window × staff, counts by level and
the given sub-scores."""

from gembahall.casework.rollups import rollup_upsert
from gembahall.org.models import Center

from .models import RatingStat

COUNTERS = ("n", "l1", "l2", "l3", "l4", "l5")
SUB_SCORES = ("efficiency", "quality", "attitude")
# Each sub-score adds its count of answers and its sum of stars.
SUB_COUNTERS = tuple(f"{s}_{part}" for s in SUB_SCORES for part in ("n", "sum"))


def ratings_delta(ratings, sign: int) -> None:
    """Add (sign +1) or take out (−1) ratings, summed per rollup row."""
    rows: dict[tuple, list[int]] = {}
    for r in ratings:
        key = (
            r.center_id,
            r.day.isoformat(),
            r.window_id,
            r.department_id_at,
            r.staff_key,
        )
        counts = rows.setdefault(key, [0] * (len(COUNTERS) + len(SUB_COUNTERS)))
        counts[0] += sign
        counts[r.level] += sign
        for i, field in enumerate(SUB_SCORES):
            stars = getattr(r, field)
            if stars is not None:
                counts[len(COUNTERS) + 2 * i] += sign
                counts[len(COUNTERS) + 2 * i + 1] += sign * stars
    if rows and sign < 0:
        # A rating taken out leaves no new id behind, so it bumps the version;
        # a new one is seen by its id (see reports.before_after.data_version),
        # so a citizen's post costs no extra write.
        Center.objects.service_changed({key[0] for key in rows})
    rollup_upsert(
        model=RatingStat,
        keys=("day", "window_id", "department_id", "staff_key"),
        counters=COUNTERS + SUB_COUNTERS,
        rows=[(*key, *counts) for key, counts in rows.items()],
    )
