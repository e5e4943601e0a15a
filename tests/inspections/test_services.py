"""Rounds, answers, finalizing, repeats, self- and cross-inspections, witnesses."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gembahall.core.models import Event
from gembahall.inspections import services
from gembahall.inspections.models import Inspection
from gembahall.rectification.models import Problem
from tests import factories as f
from tests.core.test_photos import decoding_watched, image_bytes, upload


@pytest.fixture
def hall(db):
    c = f.center()
    leadership = f.unit(c, kind="leadership", name="中心领导")
    office = f.unit(c, kind="office", name="督查科")
    w1, w2 = f.unit(c), f.unit(c)
    inspector = f.person(c, username="insp")
    f.grant(inspector, "inspector")
    head = f.person(c, w1, username="head1")
    f.grant(head, "window_head", unit=w1)
    w1.head = head
    w1.save()
    liaison = f.person(c, w1, username="liaison1")
    f.grant(liaison, "liaison", unit=w1)
    checklist = f.checklist(c, n=5)
    return {
        "center": c,
        "leadership": leadership,
        "office": office,
        "w1": w1,
        "w2": w2,
        "inspector": inspector,
        "head": head,
        "liaison": liaison,
        "checklist": checklist,
    }


def answer_all(actor, inspection, answers):
    """answers: list of (outcome, occurrences) in item order; the rest pass."""
    results = list(inspection.results.order_by("item__position"))
    for result, (outcome, occ) in zip(results, answers, strict=False):
        services.item_answer(
            actor=actor, result=result, outcome=outcome, occurrences=occ
        )
    for result in results[len(answers) :]:
        services.item_answer(actor=actor, result=result, outcome="pass")


def adhoc(hall, unit=None, on=None):
    return services.inspection_start(
        actor=hall["inspector"],
        unit=unit or hall["w1"],
        checklist=hall["checklist"],
        on=on,
    )


def test_round_orders_leaders_then_offices_then_windows(hall):
    plan = f.plan(hall["center"])
    rnd = services.round_start(
        actor=hall["inspector"],
        plan=plan,
        title="十一月",
        starts_on=timezone.localdate(),
    )
    tiers = list(
        rnd.inspections.order_by("tier", "unit_label").values_list("tier", flat=True)
    )
    assert tiers == [0, 1, 2, 2]
    assert rnd.inspections.get(unit=hall["w1"]).results.count() == 5


def test_window_inspection_waits_for_leadership_and_offices(hall):
    plan = f.plan(hall["center"])
    rnd = services.round_start(
        actor=hall["inspector"],
        plan=plan,
        title="十一月",
        starts_on=timezone.localdate(),
    )
    window = rnd.inspections.get(unit=hall["w1"])
    answer_all(hall["inspector"], window, [])
    with pytest.raises(ValidationError) as refused:
        services.inspection_finalize(actor=hall["inspector"], inspection=window)
    assert "先领导后员工" in " ".join(refused.value.messages)
    assert not Inspection.objects.get(pk=window.pk).is_final
    for tier_unit in ("leadership", "office"):
        first = rnd.inspections.get(unit=hall[tier_unit])
        answer_all(hall["inspector"], first, [])
        services.inspection_finalize(actor=hall["inspector"], inspection=first)
    services.inspection_finalize(actor=hall["inspector"], inspection=window)
    assert Inspection.objects.get(pk=window.pk).is_final


def test_office_inspection_waits_for_leadership(hall):
    plan = f.plan(hall["center"])
    rnd = services.round_start(
        actor=hall["inspector"],
        plan=plan,
        title="十一月",
        starts_on=timezone.localdate(),
    )
    office = rnd.inspections.get(unit=hall["office"])
    assert services.finalize_blockers(office)


def test_finalize_fixes_the_score_and_raises_a_problem_per_deduction(hall):
    inspection = adhoc(hall)
    answer_all(hall["inspector"], inspection, [("deduct", 2), ("na", 0), ("deduct", 9)])
    final = services.inspection_finalize(actor=hall["inspector"], inspection=inspection)
    # Max 4 each, N/A leaves 16; lost 2 + 4 (capped) → 100 × 10 / 16.
    assert final.score == Decimal("62.50")
    assert final.deduction_count == 2
    problems = Problem.objects.filter(unit=hall["w1"])
    assert problems.count() == 2
    assert {p.state for p in problems} == {"open"}
    assert {p.owner for p in problems} == {hall["head"]}
    assert Event.objects.filter(action="inspection.finalize").count() == 1


def test_final_inspection_cannot_change(hall):
    inspection = adhoc(hall)
    answer_all(hall["inspector"], inspection, [])
    services.inspection_finalize(actor=hall["inspector"], inspection=inspection)
    result = inspection.results.first()
    with pytest.raises(ValidationError):
        services.item_answer(
            actor=hall["inspector"], result=result, outcome="deduct", occurrences=1
        )


def test_unchecked_items_and_missing_photos_block_finalizing(hall):
    checklist = f.checklist(hall["center"], n=2, code="PH", photo_required=True)
    inspection = services.inspection_start(
        actor=hall["inspector"], unit=hall["w1"], checklist=checklist
    )
    first = inspection.results.order_by("item__position").first()
    services.item_answer(
        actor=hall["inspector"], result=first, outcome="deduct", occurrences=1
    )
    with pytest.raises(ValidationError) as refused:
        services.inspection_finalize(actor=hall["inspector"], inspection=inspection)
    text = " ".join(refused.value.messages)
    assert "还有1项未检查" in text
    assert "扣分需要照片" in text


def test_unfixed_repeat_counts_double_and_a_fixed_one_does_not(hall):
    day = timezone.localdate()
    first = adhoc(hall, on=day - timezone.timedelta(days=7))
    answer_all(hall["inspector"], first, [("deduct", 1), ("deduct", 1)])
    services.inspection_finalize(actor=hall["inspector"], inspection=first)
    fixed = Problem.objects.get(item_result__item__position=2)
    fixed.state = "closed"
    fixed.save()
    second = adhoc(hall, on=day)
    answer_all(hall["inspector"], second, [("deduct", 1), ("deduct", 1)])
    final = services.inspection_finalize(actor=hall["inspector"], inspection=second)
    repeat, not_repeat = final.results.order_by("item__position")[:2]
    assert (repeat.is_repeat, repeat.points) == (True, Decimal("2"))
    assert (not_repeat.is_repeat, not_repeat.points) == (False, Decimal("1"))
    assert final.score == Decimal("85.00")


def test_self_inspection_is_of_own_window_and_kept_out_of_official(hall):
    own = services.inspection_start(
        actor=hall["liaison"], unit=hall["w1"], checklist=hall["checklist"], kind="self"
    )
    assert own.kind == "self" and own.by_unit == hall["w1"]
    with pytest.raises(ValidationError):
        services.inspection_start(
            actor=hall["liaison"],
            unit=hall["w2"],
            checklist=hall["checklist"],
            kind="self",
        )
    answer_all(hall["liaison"], own, [("deduct", 1)])
    services.inspection_finalize(actor=hall["liaison"], inspection=own)
    assert not Inspection.objects.official().exists()


def test_cross_inspection_is_of_another_window(hall):
    cross = services.inspection_start(
        actor=hall["liaison"],
        unit=hall["w2"],
        checklist=hall["checklist"],
        kind="cross",
    )
    assert cross.by_unit == hall["w1"] and cross.unit == hall["w2"]
    with pytest.raises(ValidationError):
        services.inspection_start(
            actor=hall["liaison"],
            unit=hall["w1"],
            checklist=hall["checklist"],
            kind="cross",
        )


def test_staff_cannot_perform_official_inspections(hall):
    with pytest.raises(PermissionDenied):
        services.inspection_start(
            actor=hall["head"], unit=hall["w1"], checklist=hall["checklist"]
        )
    inspection = adhoc(hall)
    with pytest.raises(PermissionDenied):
        services.item_answer(
            actor=hall["head"], result=inspection.results.first(), outcome="pass"
        )


def test_witness_confirms_from_own_account_without_blocking_finalize(hall):
    inspection = adhoc(hall)
    services.witness_set(
        actor=hall["inspector"], inspection=inspection, witness=hall["head"]
    )
    answer_all(hall["inspector"], inspection, [])
    final = services.inspection_finalize(actor=hall["inspector"], inspection=inspection)
    assert final.witness_confirmed_at is None
    with pytest.raises(PermissionDenied):
        services.witness_confirm(actor=hall["liaison"], inspection=final)
    confirmed = services.witness_confirm(actor=hall["head"], inspection=final)
    assert confirmed.witness_confirmed_at is not None


def test_witness_must_work_in_the_inspected_unit(hall):
    inspection = adhoc(hall)
    with pytest.raises(ValidationError):
        services.witness_set(
            actor=hall["inspector"], inspection=inspection, witness=hall["inspector"]
        )


def test_an_answer_changed_during_finalizing_makes_it_fail_cleanly(hall, monkeypatch):
    from gembahall.inspections.services import finalize

    inspection = adhoc(hall)
    answer_all(hall["inspector"], inspection, [])
    original = finalize.repeat_keys

    def answer_meanwhile(target):
        monkeypatch.setattr(finalize, "repeat_keys", original)
        other = Inspection.objects.get(pk=target.pk).results.first()
        services.item_answer(
            actor=hall["inspector"], result=other, outcome="deduct", occurrences=1
        )
        return original(target)

    monkeypatch.setattr(finalize, "repeat_keys", answer_meanwhile)
    with pytest.raises(ValidationError) as refused:
        services.inspection_finalize(actor=hall["inspector"], inspection=inspection)
    assert "请重新查看后再定稿" in " ".join(refused.value.messages)
    assert not Inspection.objects.get(pk=inspection.pk).is_final
    assert not Problem.objects.exists()
    assert not Event.objects.filter(action="inspection.finalize").exists()


def test_a_second_finalize_is_refused(hall):
    inspection = adhoc(hall)
    answer_all(hall["inspector"], inspection, [("deduct", 1)])
    services.inspection_finalize(actor=hall["inspector"], inspection=inspection)
    with pytest.raises(ValidationError):
        services.inspection_finalize(actor=hall["inspector"], inspection=inspection)
    assert Problem.objects.count() == 1


def test_evidence_photos_are_decoded_before_the_transaction(hall):
    inspection = adhoc(hall)
    result = inspection.results.first()
    with decoding_watched() as depths:
        services.item_photo_add(
            actor=hall["inspector"], result=result, upload=upload(image_bytes())
        )
    assert depths and set(depths) == {0}
    assert result.photos.count() == 1
