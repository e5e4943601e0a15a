"""The checklist score: 100 × Σ(max − min(cap, deduction × occurrences)) / Σ max
over applicable items; an unfixed repeat deducts `multiplier` times, still
within its cap."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

ZERO = Decimal("0")
CENT = Decimal("0.01")


def repeat_multiplier() -> Decimal:
    return Decimal(str(getattr(settings, "GEMBAHALL_REPEAT_MULTIPLIER", 2)))


def item_points(
    *, max_points, deduction, cap, outcome: str, occurrences: int, repeat: bool
) -> Decimal:
    """Points one item loses."""
    if outcome != "deduct" or occurrences <= 0:
        return ZERO
    raw = Decimal(deduction) * occurrences
    if repeat:
        raw *= repeat_multiplier()
    return min(Decimal(cap), Decimal(max_points), raw)


def score(rows) -> Decimal | None:
    """`rows` are (max_points, points lost, outcome); N/A rows leave both sums.
    None when nothing applies."""
    total = kept = ZERO
    for max_points, lost, outcome in rows:
        if outcome == "na":
            continue
        total += Decimal(max_points)
        kept += Decimal(max_points) - Decimal(lost)
    if not total:
        return None
    return (100 * kept / total).quantize(CENT, rounding=ROUND_HALF_UP)
