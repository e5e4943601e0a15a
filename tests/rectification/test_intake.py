"""The one intake every source raises problems through: deadline, repeat,
owner, photos, audit event and notification, alike for every source."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from gembahall.core.models import Event, Notification
from gembahall.core.photos import photo_store
from gembahall.ratings.services import rating_submit
from gembahall.rectification import services
from gembahall.rectification.intake import Finding, problem_raise, problems_raise
from gembahall.rectification.models import Problem
from gembahall.rectification.sources import state_listener

from .conftest import photo

SHANGHAI = ZoneInfo("Asia/Shanghai")
KEY = "6f1c1f4e-4a51-4a9b-8e0f-0d5cbb1a0001"


def submit(actor, problem):
    return services.problem_submit(
        actor=actor, problem=problem, cause="c", action="a", uploads=[photo()]
    )


def raise_one(hall, **kw):
    fields = {
        "actor": hall["inspector"],
        "source": Problem.Source.SPOT,
        "unit": hall["w1"],
        "description": "地面有积水",
        "reported_by": hall["inspector"],
    } | kw
    return problem_raise(**fields)


def test_the_owner_is_the_units_unless_one_is_named(hall):
    assert raise_one(hall).owner == hall["head"]
    assert raise_one(hall, owner=hall["liaison"]).owner == hall["liaison"]
    assert raise_one(hall, owner=None).owner is None
    # A unit without a head: its active window head answers for it.
    assert raise_one(hall, unit=hall["w2"]).owner == hall["head2"]


def test_the_deadline_comes_from_the_severity_or_from_the_source(hall, settings):
    settings.GEMBAHALL_DEADLINE_DAYS = {"serious": 1, "general": 5}
    # Thursday 26 November 2026.
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)):
        serious = raise_one(hall, severity="serious")
        general = raise_one(hall)
        in_days = raise_one(hall, deadline_days=2)
        given = raise_one(hall, deadline=date(2026, 12, 24))
    assert serious.deadline == date(2026, 11, 27)
    assert general.deadline == date(2026, 12, 3)
    assert in_days.deadline == date(2026, 11, 30)
    assert given.deadline == date(2026, 12, 24) and not given.deadline_provisional
    assert {p.raised_on for p in (serious, general)} == {date(2026, 11, 26)}


def test_the_same_item_on_the_same_unit_is_a_repeat_even_after_a_fix(hall):
    first = raise_one(hall, item_key=KEY)
    services.problem_submit(
        actor=hall["head"], problem=first, cause="c", action="a", uploads=[photo()]
    )
    services.problem_verify(actor=hall["inspector"], problem=first)
    again = raise_one(hall, item_key=KEY)
    elsewhere = raise_one(hall, item_key=KEY, unit=hall["w2"])
    other_item = raise_one(hall, item_key="6f1c1f4e-4a51-4a9b-8e0f-0d5cbb1a0002")
    assert again.repeat_of == first
    assert elsewhere.repeat_of is None and other_item.repeat_of is None


def test_a_repeat_counts_only_within_the_window(hall):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)):
        first = raise_one(hall, item_key=KEY)
    with time_machine.travel(datetime(2026, 5, 29, 10, tzinfo=SHANGHAI)):
        assert raise_one(hall, item_key=KEY).repeat_of == first
    with time_machine.travel(datetime(2026, 8, 20, 10, tzinfo=SHANGHAI)):
        # The latest within ninety days, not the first.
        assert raise_one(hall, item_key=KEY).repeat_of.raised_on == date(2026, 5, 29)
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=SHANGHAI)):
        # Ninety-two days after the last one: a first occurrence again.
        assert raise_one(hall, item_key=KEY).repeat_of is None


def test_the_audit_event_says_where_whose_and_by_when(hall):
    problem = raise_one(hall, severity="serious")
    event = Event.objects.get(action="problem.raise", target_id=str(problem.public_id))
    assert event.actor_id == hall["inspector"].pk
    assert event.center_id == hall["center"].pk
    assert event.target_type == "rectification.problem"
    assert event.after == {
        "unit": str(hall["w1"]),
        "source": "spot",
        "severity": "serious",
        "owner": str(hall["head"]),
        "deadline": str(problem.deadline),
        "repeat_of": None,
    }


def test_the_owner_is_told_unless_they_raised_it_themselves(hall):
    raise_one(hall)
    raise_one(hall, actor=hall["head"], reported_by=hall["head"])
    told = Notification.objects.filter(person=hall["head"], kind="problem.new")
    assert told.count() == 1


def test_a_batch_is_written_at_once_with_its_photos_events_and_one_notice(hall):
    stored = photo_store(
        actor=hall["inspector"], center=hall["center"], unit=hall["w1"], upload=photo()
    )
    earlier = raise_one(hall, item_key=KEY)
    problems = problems_raise(
        actor=hall["inspector"],
        source=Problem.Source.INSPECTION,
        unit=hall["w1"],
        reported_by=hall["inspector"].pk,
        findings=[
            Finding("柜门未关", item_key=KEY, photos=[stored.pk]),
            Finding("桌面杂乱", severity="minor"),
        ],
    )
    first, second = problems
    assert first.repeat_of_id == earlier.pk and second.repeat_of_id is None
    assert list(first.photos.all()) == [stored] and not second.photos.exists()
    assert {p.owner for p in problems} == {hall["head"]}
    assert first.deadline < second.deadline  # minor problems get longer
    assert Event.objects.filter(action="problem.raise").count() == 3
    assert Notification.objects.filter(person=hall["head"]).count() == 2
    assert problems_raise(actor=None, source="spot", unit=hall["w1"], findings=[]) == []


def test_a_bad_ratings_problem_goes_through_the_intake(hall):
    rating = rating_submit(window=hall["w1"], level=1, reasons=["slow"])
    problem = rating.followup.problem
    assert problem.source == Problem.Source.RATING
    assert problem.owner == hall["head"] and problem.deadline is not None
    event = Event.objects.get(action="problem.raise", target_id=str(problem.public_id))
    assert event.actor_name == "system" and event.after["source"] == "rating"
    assert event.after["deadline"] == str(problem.deadline)


def test_state_listeners_hear_every_move_inside_the_change(hall):
    heard = []

    @state_listener("test-listener")
    def listen(problem, before):
        heard.append((before, problem.state))

    try:
        problem = raise_one(hall)
        services.problem_start(actor=hall["head"], problem=problem)
        services.problem_submit(
            actor=hall["head"],
            problem=problem,
            cause="c",
            action="a",
            uploads=[photo()],
        )
        services.problem_verify(actor=hall["inspector"], problem=problem)
    finally:
        from gembahall.rectification import sources

        sources._listeners.pop("test-listener")
    assert heard == [
        ("open", "in_progress"),
        ("in_progress", "submitted"),
        ("submitted", "closed"),
    ]


def test_a_rating_problem_fixed_in_time_marks_its_follow_up(hall):
    rating = rating_submit(window=hall["w1"], level=1, reasons=["slow"])
    problem = rating.followup.problem
    services.problem_submit(
        actor=hall["head"], problem=problem, cause="c", action="a", uploads=[photo()]
    )
    services.problem_verify(actor=hall["inspector"], problem=problem)
    rating.followup.refresh_from_db()
    assert rating.followup.rectified_on_time is True


def test_a_spot_report_keeps_its_own_audit_action(hall):
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)):
        problem = services.problem_report(
            actor=hall["liaison"], unit=hall["w1"], description="x", uploads=[photo()]
        )
    event = Event.objects.get(target_id=str(problem.public_id))
    assert event.action == "problem.report"
    assert event.after == {
        "unit": str(hall["w1"]),
        "source": "spot",
        "deadline": str(date(2026, 12, 3)),
    }
