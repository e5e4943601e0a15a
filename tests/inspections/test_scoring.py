"""The checklist score formula."""

from decimal import Decimal

from gembahall.inspections import scoring


def points(outcome="deduct", occ=1, repeat=False, max_points=4, deduction=1, cap=4):
    return scoring.item_points(
        max_points=Decimal(max_points),
        deduction=Decimal(deduction),
        cap=Decimal(cap),
        outcome=outcome,
        occurrences=occ,
        repeat=repeat,
    )


def test_deduction_is_per_occurrence_within_the_cap():
    assert points(occ=3) == 3
    assert points(occ=9) == 4
    assert points(occ=9, cap=2) == 2


def test_passed_and_not_applicable_items_lose_nothing():
    assert points("pass", occ=3) == 0
    assert points("na", occ=3) == 0


def test_an_unfixed_repeat_deducts_double_still_within_the_cap():
    assert points(occ=1, repeat=True) == 2
    assert points(occ=3, repeat=True) == 4


def test_repeat_multiplier_is_configurable(settings):
    settings.GEMBAHALL_REPEAT_MULTIPLIER = 1
    assert points(occ=1, repeat=True) == 1


def test_score_is_kept_points_over_applicable_max():
    rows = [(4, 1, "deduct"), (4, 0, "pass"), (2, 0, "pass")]
    assert scoring.score(rows) == Decimal("90.00")


def test_not_applicable_items_leave_both_sums():
    rows = [(4, 1, "deduct"), (4, 0, "pass"), (10, 0, "na")]
    assert scoring.score(rows) == Decimal("87.50")


def test_nothing_applicable_has_no_score():
    assert scoring.score([(4, 0, "na")]) is None
