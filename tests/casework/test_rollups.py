"""The rollup interface casework publishes: the named dimensions, counters
and keys match what the tables store, and the one write adds deltas."""

import itertools
from datetime import date

import pytest
from django.db import models

from gembahall.casework.models import CaseStat, DayStat, HourStat, Ticket
from gembahall.casework.rollups import (
    CASE_COUNTERS,
    HOUR_COUNTERS,
    STATUS_COUNTERS,
    TICKET_COUNTERS,
    TICKET_DIMENSIONS,
    Dimension,
    TicketDeltas,
    TicketFact,
    case_sums,
    fact_keys,
    item_key,
    parse_item_key,
    parse_staff_key,
    rollup_upsert,
    staff_key,
    ticket_sums,
)
from tests import factories as f

DAY = date(2026, 3, 5)


def _counter_fields(model) -> tuple[str, ...]:
    """The model's integer counters in table order (keys and ids left out)."""
    keys = {"id", "day", "hour", "parent", "department_id"}
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.IntegerField) and field.name not in keys
    )


def test_counter_lists_name_the_stored_counters_in_table_order():
    assert _counter_fields(DayStat) == TICKET_COUNTERS
    assert _counter_fields(HourStat) == HOUR_COUNTERS
    assert _counter_fields(CaseStat) == CASE_COUNTERS


def test_every_final_ticket_status_adds_to_a_ticket_counter():
    final = set(Ticket.Status) - {Ticket.Status.WAITING}
    assert set(STATUS_COUNTERS) == final
    assert set(STATUS_COUNTERS.values()) <= set(TICKET_COUNTERS)


def test_dimensions_are_listed_once_and_fit_the_stored_code():
    listed = [m.dim for m in TICKET_DIMENSIONS]
    assert sorted(listed) == sorted(Dimension)
    width = DayStat._meta.get_field("dim").max_length
    assert all(len(d.value) <= width for d in Dimension)


@pytest.mark.parametrize(
    ("key", "parsed"),
    [
        (item_key(42, ""), (42, "")),
        (item_key(None, "企业设立登记"), (None, "企业设立登记")),
        (item_key(42, "a name the item has anyway"), (42, "")),
    ],
)
def test_an_item_key_parses_back_to_what_made_it(key, parsed):
    assert parse_item_key(key) == parsed
    assert item_key(*parsed) == key


@pytest.mark.parametrize(
    ("key", "parsed"),
    [(staff_key(7, ""), (7, "")), (staff_key(None, "A0105"), (None, "A0105"))],
)
def test_a_staff_key_parses_back_to_what_made_it(key, parsed):
    assert parse_staff_key(key) == parsed
    assert staff_key(*parsed) == key


def test_person_and_number_and_item_and_name_keys_never_collide():
    keys = {staff_key(1, ""), staff_key(None, "1"), item_key(1, ""), item_key(0, "1")}
    assert len(keys) == 4
    assert staff_key(None, "") == item_key(None, "") == ""


def _fact(window, department, staff, item):
    return TicketFact(DAY, 9, window, department, staff, item, "served", 60, 120)


def _keys_from_dimensions(fact) -> list[tuple]:
    """The rows a fact counts in, derived from TICKET_DIMENSIONS alone."""
    keys = []
    for m in TICKET_DIMENSIONS:
        if all(getattr(fact, name) for name in m.requires):
            key = "" if m.key is None else str(getattr(fact, m.key))
            parent = 0 if m.parent is None else getattr(fact, m.parent)
            keys.append((fact.day, m.dim, key, parent))
    return keys


@pytest.mark.parametrize(
    ("window", "department", "staff", "item"),
    list(itertools.product((0, 11), (0, 3), ("", "p5"), ("", "b窗口业务"))),
)
def test_the_rows_a_ticket_counts_in_follow_the_named_dimensions(
    window, department, staff, item
):
    fact = _fact(window, department, staff, item)
    assert fact_keys(fact) == _keys_from_dimensions(fact)


def test_a_window_ticket_counts_for_center_department_window_staff_and_item():
    keys = fact_keys(_fact(11, 3, "p5", "i9"))
    assert [(k[1], k[2], k[3]) for k in keys] == [
        (Dimension.CENTER, "", 0),
        (Dimension.DEPARTMENT, "3", 0),
        (Dimension.WINDOW, "11", 3),
        (Dimension.STAFF, "p5", 0),
        (Dimension.STAFF_WINDOW, "p5", 11),
        (Dimension.ITEM, "i9", 0),
    ]


@pytest.mark.django_db
def test_upsert_creates_a_row_then_adds_the_deltas_to_it():
    center = f.center(code="up")
    deltas = [1, 1, 0, 0, 0, 0, 0, 2, 3, 1, 0]
    row = (center.pk, DAY.isoformat(), 4, "i1", *deltas)
    keys = ("day", "department_id", "item_key")
    rollup_upsert(model=CaseStat, keys=keys, counters=CASE_COUNTERS, rows=[row])
    rollup_upsert(model=CaseStat, keys=keys, counters=CASE_COUNTERS, rows=[row])
    assert CaseStat.objects.count() == 1
    sums = case_sums(center_id=center.pk, start=DAY, end=DAY, department_id=4)
    assert [sums[c] for c in CASE_COUNTERS] == [2 * d for d in deltas]


@pytest.mark.django_db
def test_ticket_deltas_added_and_taken_out_leave_the_sums_at_nothing():
    center = f.center(code="td")
    fact = _fact(11, 3, "p5", "i9")
    added = TicketDeltas()
    added.add(fact)
    added.add(fact)
    added.apply(center.pk)
    window = {"center_id": center.pk, "start": DAY, "end": DAY}
    sums = ticket_sums(**window, dim=Dimension.STAFF_WINDOW, key="p5")
    assert (sums["taken"], sums["served"], sums["wait_sum"]) == (2, 2, 120)
    assert sums["histogram"] == [0, 2]
    taken_out = TicketDeltas()
    taken_out.add(fact, sign=-1)
    taken_out.add(fact, sign=-1)
    taken_out.apply(center.pk)
    sums = ticket_sums(**window, dim=Dimension.STAFF_WINDOW, key="p5")
    assert [sums[c] for c in TICKET_COUNTERS] == [0] * len(TICKET_COUNTERS)
    assert sums["histogram"] == []
