"""The rectification workflow: deadlines, states, who may act, repeats, locks."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gembahall.core.models import Event, Notification
from gembahall.inspections import services as inspections
from gembahall.rectification import services
from gembahall.rectification.models import Problem
from tests import factories as f
from tests.core.test_photos import decoding_watched

from .conftest import photo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def submit(actor, problem, **kw):
    return services.problem_submit(
        actor=actor,
        problem=problem,
        cause=kw.get("cause", "文件未归位"),
        action=kw.get("action", "按标准照片重新摆放"),
        uploads=kw.get("uploads", [photo()]),
    )


def test_spot_report_goes_to_the_unit_head_with_a_working_day_deadline(hall):
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)):
        p = services.problem_report(
            actor=hall["liaison"],
            unit=hall["w1"],
            description="线缆外露",
            severity="general",
            uploads=[photo()],
        )
    assert p.owner == hall["head"]
    assert p.state == "open" and p.source == "spot"
    assert p.photos.count() == 1
    # Five working days after Thursday 26 November: Fri, Mon, Tue, Wed, Thu.
    assert p.deadline == date(2026, 12, 3)
    assert Notification.objects.filter(person=hall["head"], kind="problem.new").exists()
    assert Event.objects.filter(action="problem.report", target_id=str(p.public_id))


def test_a_report_needs_a_description_and_a_photo(hall):
    with pytest.raises(ValidationError) as err:
        services.problem_report(
            actor=hall["liaison"], unit=hall["w1"], description=" ", uploads=[]
        )
    assert "description" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        services.problem_report(
            actor=hall["liaison"], unit=hall["w1"], description="x", uploads=[]
        )
    assert "photos" in err.value.error_dict
    assert not Problem.objects.exists()


def test_deadline_counts_working_days_across_national_day(hall):
    # 30 September 2026 is the last working day before 国庆 (1–7 October);
    # Saturday 10 October is worked in exchange (调休).
    with time_machine.travel(datetime(2026, 9, 30, 16, tzinfo=SHANGHAI)):
        p = services.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description="表单缺货",
            severity="general",
            uploads=[photo()],
        )
    # 8 Oct (1), 9 Oct (2), Sat 10 Oct (3), 12 Oct (4), 13 Oct (5).
    assert p.deadline == date(2026, 10, 13)
    assert not p.deadline_provisional


def test_severity_sets_the_number_of_days(hall, settings):
    settings.GEMBAHALL_DEADLINE_DAYS = {"serious": 1, "general": 5, "minor": 10}
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)):
        p = services.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description="安全出口堵塞",
            severity="serious",
            uploads=[photo()],
        )
    assert p.deadline == date(2026, 11, 27)


def test_fix_return_resubmit_verify(hall, problem):
    services.problem_start(actor=hall["head"], problem=problem)
    submit(hall["head"], problem)
    problem.refresh_from_db()
    assert problem.state == "submitted" and problem.submitted_by == hall["head"]
    services.problem_return(
        actor=hall["inspector"], problem=problem, note="抽屉仍未定位"
    )
    problem.refresh_from_db()
    assert problem.state == "returned"
    assert Notification.objects.filter(
        person=hall["head"], kind="problem.returned"
    ).exists()
    submit(hall["liaison"], problem)
    services.problem_verify(actor=hall["inspector"], problem=problem)
    problem.refresh_from_db()
    assert problem.state == "closed" and problem.verified_by == hall["inspector"]
    assert problem.closed_on is not None and problem.on_time is True
    assert list(problem.steps.values_list("kind", flat=True)) == [
        "started",
        "submitted",
        "returned",
        "submitted",
        "verified",
    ]
    actions = list(
        Event.objects.filter(target_id=str(problem.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "problem.report",
        "problem.start",
        "problem.submit",
        "problem.return",
        "problem.submit",
        "problem.verify",
    ]


def test_a_fix_needs_photos_cause_and_action(hall, problem):
    with pytest.raises(ValidationError) as err:
        submit(hall["head"], problem, cause="", action="", uploads=[])
    assert set(err.value.error_dict) == {"cause", "action", "photos"}
    problem.refresh_from_db()
    assert problem.state == "open" and not problem.steps.exists()


def test_a_window_head_cannot_verify(hall, problem):
    submit(hall["liaison"], problem)
    with pytest.raises(PermissionDenied):
        services.problem_verify(actor=hall["head"], problem=problem)


def test_the_submitter_cannot_verify_their_own_fix(hall):
    # The inspection section's own office: its head is an inspector.
    office = f.unit(hall["center"], kind="office", name="督查科")
    office.head = hall["inspector"]
    office.save()
    problem = services.problem_report(
        actor=hall["director"],
        unit=office,
        description="档案柜未上锁",
        uploads=[photo()],
    )
    assert problem.owner == hall["inspector"]
    submit(hall["inspector"], problem)
    with pytest.raises(ValidationError, match="another inspector"):
        services.problem_verify(actor=hall["inspector"], problem=problem)
    services.problem_verify(actor=hall["inspector2"], problem=problem)


def test_another_window_cannot_fix(hall, problem):
    with pytest.raises(PermissionDenied):
        submit(hall["head2"], problem)


def test_a_second_verify_fails_cleanly(hall, problem):
    submit(hall["head"], problem)
    services.problem_verify(actor=hall["inspector"], problem=problem)
    with pytest.raises(ValidationError, match="someone acted on it"):
        services.problem_verify(actor=hall["inspector2"], problem=problem)
    assert Event.objects.filter(action="problem.verify").count() == 1


def test_returning_needs_a_note(hall, problem):
    submit(hall["head"], problem)
    with pytest.raises(ValidationError):
        services.problem_return(actor=hall["inspector"], problem=problem, note=" ")


def test_overdue_the_moment_the_deadline_passes(hall):
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)):
        p = services.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description="x",
            uploads=[photo()],
        )
    with time_machine.travel(datetime(2026, 12, 3, 23, 59, tzinfo=SHANGHAI)):
        assert not p.is_overdue
        assert not Problem.objects.overdue().exists()
    with time_machine.travel(datetime(2026, 12, 4, 0, 1, tzinfo=SHANGHAI)):
        assert p.is_overdue
        assert list(Problem.objects.overdue()) == [p]


def test_same_item_within_90_days_is_a_repeat(hall):
    checklist = f.checklist(hall["center"], n=3)

    def deduct_first_item(when):
        with time_machine.travel(when):
            inspection = inspections.inspection_start(
                actor=hall["inspector"], unit=hall["w1"], checklist=checklist
            )
            results = list(inspection.results.order_by("item__position"))
            inspections.item_answer(
                actor=hall["inspector"],
                result=results[0],
                outcome="deduct",
                occurrences=1,
            )
            for r in results[1:]:
                inspections.item_answer(
                    actor=hall["inspector"], result=r, outcome="pass"
                )
            inspections.inspection_finalize(
                actor=hall["inspector"], inspection=inspection
            )
        return Problem.objects.get(item_result__inspection=inspection)

    first = deduct_first_item(datetime(2026, 6, 1, 10, tzinfo=SHANGHAI))
    second = deduct_first_item(datetime(2026, 8, 20, 10, tzinfo=SHANGHAI))
    third = deduct_first_item(datetime(2026, 12, 1, 10, tzinfo=SHANGHAI))
    assert first.repeat_of is None
    assert second.repeat_of == first
    # More than 90 days after the second: a new, first occurrence again.
    assert third.repeat_of is None
    assert second.deadline is not None and second.owner == hall["head"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_verifiers_at_once_exactly_one_wins(hall, problem):
    from django.db import connections

    submit(hall["head"], problem)
    barrier = threading.Barrier(2)
    outcomes = []

    def verify(actor):
        translation.activate("en")
        try:
            seen = Problem.objects.get(pk=problem.pk)
            assert seen.state == "submitted"
            barrier.wait(timeout=10)
            services.problem_verify(actor=actor, problem=seen)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=verify, args=(hall[name],))
        for name in ("inspector", "inspector2")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok"
    assert outcomes.count("ok") == 1
    assert "someone acted on it" in [o for o in outcomes if o != "ok"][0]
    assert Event.objects.filter(action="problem.verify").count() == 1
    assert Problem.objects.get(pk=problem.pk).state == "closed"


def test_report_and_fix_photos_are_decoded_before_the_transaction(hall):
    with decoding_watched() as depths:
        problem = services.problem_report(
            actor=hall["inspector"],
            unit=hall["w1"],
            description="桌面杂乱",
            uploads=[photo(), photo()],
        )
        submit(hall["head"], problem)
    assert len(depths) == 6 and set(depths) == {0}


def test_a_submitted_fix_tells_every_inspector_who_may_verify_it(hall, problem):
    submit(hall["head"], problem)
    told = Notification.objects.filter(kind="problem.submitted")
    assert set(told.values_list("person_id", flat=True)) == {
        hall["inspector"].pk,
        hall["inspector2"].pk,
    }
    assert told.first().url == problem.get_absolute_url()


def test_a_practice_waiting_for_review_tells_the_osm_office(hall):
    from gembahall.rectification import practices

    practice = practices.practice_submit(
        actor=hall["liaison"],
        unit=hall["w1"],
        title="线条标识法",
        description="档案盒按斜线排列",
        uploads=[photo()],
    )
    told = Notification.objects.filter(kind="practice.submitted")
    assert set(told.values_list("person_id", flat=True)) == {
        hall["inspector"].pk,
        hall["inspector2"].pk,
    }
    assert told.first().url == practice.get_absolute_url()
