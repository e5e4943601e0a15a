"""Scheduled rounds: a plan's cadence opens its rounds on the tick, once per
period, spread over its inspectors; a late round reaches the OSM office's head
once."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from gembahall.core.audit import Event
from gembahall.core.models import Notification
from gembahall.core.periodic import periodic_jobs, tick
from gembahall.core.todo import todos_for
from gembahall.inspections import planning, schedules
from gembahall.inspections.models import Inspection, Round
from gembahall.org.osm import osm_office_heads
from tests import factories as f

TZ = ZoneInfo("Asia/Shanghai")
# A Wednesday; the plan is made then, so its first weekly round is Monday's.
WEDNESDAY = datetime(2027, 3, 3, 9, 0, tzinfo=TZ)


def at(day: date, hour=8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


@pytest.fixture
def clock(db):
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hall(clock):
    c = f.center()
    office = f.unit(c, kind="office", name="考核督查科")
    head = f.person(c, office, username="osmhead")
    office.head = head
    office.save(update_fields=["head"])
    f.grant(head, "inspector")
    inspectors = []
    for name in ("insp1", "insp2"):
        p = f.person(c, office, username=name)
        f.grant(p, "inspector")
        inspectors.append(p)
    director = f.person(c, username="dir")
    f.grant(director, "director")
    f.checklist(c, n=2)
    return {
        "center": c,
        "head": head,
        "director": director,
        "inspectors": inspectors,
        "windows": [f.unit(c) for _ in range(3)],
    }


def make_plan(hall, cadence="weekly", **schedule):
    return planning.plan_create(
        actor=hall["head"],
        center=hall["center"],
        name="窗口周检",
        cadence=cadence,
        checklist_code="WIN",
        target_kinds=["window"],
        inspectors=hall["inspectors"],
        **schedule,
    )


def starts(plan) -> list[date]:
    return sorted(plan.rounds.values_list("period_start", flat=True))


def test_a_weekly_round_opens_once_when_due_assigned_and_late_told_once(hall, clock):
    plan = make_plan(hall, window_days=5)
    tick()
    assert not plan.rounds.exists()  # this week began before the plan

    clock.move_to(at(date(2027, 3, 8)))  # Monday
    assert tick()["schedules"] == {"opened": 1, "overdue": 0}
    tick()
    (round,) = plan.rounds.all()
    assert round.period_start == date(2027, 3, 8)
    assert round.due_on == date(2027, 3, 12)
    assert round.created_by is None
    inspections = round.inspections.all()
    assert inspections.count() == 3
    per_inspector = sorted(
        inspections.filter(inspector__in=hall["inspectors"])
        .values_list("inspector", flat=True)
        .order_by()
    )
    assert len(per_inspector) == 3
    assert sorted(per_inspector.count(p.pk) for p in hall["inspectors"]) == [1, 2]
    first = hall["inspectors"][0]
    (todo,) = [t for t in todos_for(first, hall["center"]) if t.kind.startswith("insp")]
    assert todo.count == per_inspector.count(first.pk) and todo.late == 0
    assert Notification.objects.filter(person=first, kind="round.assigned").exists()

    clock.move_to(at(date(2027, 3, 13)))  # the day after the window
    assert tick()["schedules"]["overdue"] == 1
    tick()
    told = Notification.objects.filter(kind="round.overdue")
    assert list(told.values_list("person", flat=True)) == [hall["head"].pk]
    (todo,) = [t for t in todos_for(first, hall["center"]) if t.kind.startswith("insp")]
    assert todo.late == todo.count > 0
    assert Event.objects.filter(action="round.overdue").count() == 1
    assert Event.objects.filter(action="round.schedule").count() == 1


def test_a_finished_round_is_not_told_late(hall, clock):
    plan = make_plan(hall)
    clock.move_to(at(date(2027, 3, 8)))
    tick()
    plan.rounds.get().inspections.update(state="final")
    clock.move_to(at(date(2027, 3, 13)))
    tick()
    assert not Notification.objects.filter(kind="round.overdue").exists()


def test_a_period_missed_while_no_tick_ran_is_not_opened_late(hall, clock):
    plan = make_plan(hall, window_days=3)
    clock.move_to(at(date(2027, 3, 11)))  # Thursday: Monday's window has passed
    tick()
    assert not plan.rounds.exists()


def test_inspections_go_to_the_least_loaded_inspector_first(hall, clock):
    busy, free = hall["inspectors"]
    for window in hall["windows"][:2]:
        Inspection.objects.create(
            center=hall["center"],
            checklist_id=f.checklist(hall["center"], n=1, code=f"X{window.pk}").pk,
            unit=window,
            unit_label=str(window),
            inspected_on=date(2027, 3, 3),
            inspector=busy,
        )
    plan = make_plan(hall)
    clock.move_to(at(date(2027, 3, 8)))
    tick()
    got = dict.fromkeys((busy.pk, free.pk), 0)
    for pk in plan.rounds.get().inspections.values_list("inspector", flat=True):
        got[pk] += 1
    # Loads 2 and 0: the free one takes two, then they alternate.
    assert got == {busy.pk: 1, free.pk: 2}


def test_a_monthly_round_opens_on_its_day_of_the_month(hall, clock):
    plan = make_plan(hall, cadence="monthly", day_of_month=15, window_days=10)
    for day in (date(2027, 3, 10), date(2027, 3, 15), date(2027, 3, 28)):
        clock.move_to(at(day))
        tick()
    assert starts(plan) == [date(2027, 3, 15)]
    assert plan.rounds.get().due_on == date(2027, 3, 24)
    clock.move_to(at(date(2027, 4, 16)))
    tick()
    assert starts(plan) == [date(2027, 3, 15), date(2027, 4, 15)]


def test_a_round_on_given_weekdays_opens_each_of_those_days(hall, clock):
    plan = make_plan(hall, cadence="weekdays", weekdays=[1, 3], window_days=1)
    for day in range(4, 11):  # Thursday 4 March to Wednesday 10 March
        clock.move_to(at(date(2027, 3, day)))
        tick()
    assert starts(plan) == [date(2027, 3, 4), date(2027, 3, 9)]


def test_a_plan_edited_to_ad_hoc_opens_nothing_and_rounds_by_hand_still_work(
    hall, clock
):
    plan = make_plan(hall)
    planning.plan_update(actor=hall["head"], plan=plan, cadence="ad_hoc")
    assert plan.inspectors.count() == 2
    clock.move_to(at(date(2027, 3, 8)))
    tick()
    assert not plan.rounds.exists()
    assert Event.objects.filter(action="plan.update").get().after == {
        "cadence": "ad_hoc"
    }
    from gembahall.inspections.services import round_start

    round_start(actor=hall["head"], plan=plan, title="临时", starts_on=date.today())
    assert plan.rounds.get().period_start is None


def test_weekdays_outside_the_week_are_refused(hall):
    with pytest.raises(ValidationError):
        make_plan(hall, cadence="weekdays", weekdays=[7])


def test_the_database_keeps_one_round_per_plan_and_period(hall, clock):
    plan = make_plan(hall)
    start = date(2027, 3, 8)
    clock.move_to(at(start))
    schedules.round_schedule_open(plan=plan, start=start)
    with pytest.raises(IntegrityError), transaction.atomic():
        schedules.round_schedule_open(plan=plan, start=start)
    assert schedules._open_once(plan, start) is False
    assert plan.rounds.count() == 1


def test_the_osm_office_head_falls_back_to_the_directors(hall):
    assert osm_office_heads(hall["center"]) == [hall["head"]]
    office = hall["head"].unit
    office.head = None
    office.save(update_fields=["head"])
    assert osm_office_heads(hall["center"]) == [hall["director"]]


def test_tick_runs_the_reminders_too_and_remind_still_works(hall):
    assert {"schedules", "reminders"} <= set(periodic_jobs())
    assert set(tick(only=("reminders",))) == {"reminders"}
    call_command("remind")
    call_command("tick")


def test_a_failing_job_does_not_stop_the_others(hall, monkeypatch):
    from gembahall.core import periodic

    def broken(now):
        raise RuntimeError("disk full")

    monkeypatch.setitem(periodic._jobs, "broken", broken)
    results = tick()
    assert isinstance(results["broken"], RuntimeError)
    assert "schedules" in results and "reminders" in results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_open_one_round(hall, clock):
    from django.db import connections

    plan = make_plan(hall)
    clock.move_to(at(date(2027, 3, 8)))
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            tick(only=("schedules",))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Round.objects.filter(plan=plan).count() == 1


def test_the_plan_page_edits_the_schedule(hall, client):
    plan = make_plan(hall)
    f.signed_in(client, hall["head"])
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200
    assert "2027" in page.content.decode()  # the next round's date
    url = f"/inspections/plans/{plan.public_id}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": plan.name,
            "cadence": "weekdays",
            "weekdays": ["1", "3"],
            "day_of_month": "1",
            "window_days": "2",
            "checklist_code": "WIN",
            "target_kinds": ["window"],
            "inspectors": [p.pk for p in hall["inspectors"]],
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.cadence, plan.weekdays, plan.window_days) == ("weekdays", [1, 3], 2)


def test_an_inspector_of_another_center_cannot_edit_the_plan(hall, client):
    plan = make_plan(hall)
    other = f.center()
    stranger = f.person(other, username="stranger")
    f.grant(stranger, "inspector")
    f.signed_in(client, stranger)
    url = f"/inspections/plans/{plan.public_id}/edit/"
    assert client.get(url).status_code in (403, 404)
