"""Incremental rollups: every write to a ticket or a case turns into deltas —
minus what the old record contributed, plus what the new one does — added to
the rollup rows with one upsert per table. Imports, API events and
corrections all go through here, so the KPIs never need a full scan."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from gembahall.core.workdays import working_days_between
from gembahall.org.models import Center

from ..models import Case, CaseStat, HourStat, Ticket
from .schema import (
    CASE_COUNTERS,
    HOUR_COUNTERS,
    STATUS_COUNTERS,
    TICKET_COUNTERS,
    fact_keys,
    item_key,
    staff_key,
)
from .store import day_stats_apply, rollup_upsert

# Positions of the counters in a row of deltas.
_TICKET = {name: i for i, name in enumerate(TICKET_COUNTERS)}
TAKEN, WAITED, WAIT_SUM = _TICKET["taken"], _TICKET["waited"], _TICKET["wait_sum"]
HANDLED, HANDLE_SUM = _TICKET["handled"], _TICKET["handle_sum"]
STATUS_INDEX = {status: _TICKET[name] for status, name in STATUS_COUNTERS.items()}
HOUR_TAKEN, HOUR_WAITED, HOUR_WAIT_SUM = (
    HOUR_COUNTERS.index(name) for name in ("taken", "waited", "wait_sum")
)
_CASE = {name: i for i, name in enumerate(CASE_COUNTERS)}


@dataclass(frozen=True, slots=True)
class TicketFact:
    """What one ticket contributes to the rollups. Times are whole seconds."""

    day: date
    hour: int
    window_id: int
    department_id: int
    staff_key: str
    item_key: str
    status: str
    wait: int | None  # first call − taken, when called and not a no-show
    handle: int | None  # finished − started, when served


def ticket_fact(
    *,
    day,
    hour,
    window_id,
    department_id,
    staff_key,
    item_key,
    status,
    taken,
    called,
    started,
    finished,
) -> TicketFact:
    """The fact of a ticket whose times are epoch seconds (or None)."""
    wait = handle = None
    if called is not None and status != Ticket.Status.NO_SHOW:
        wait = max(0, called - taken)
    if status == Ticket.Status.SERVED and started is not None and finished is not None:
        handle = max(0, finished - started)
    return TicketFact(
        day,
        hour,
        window_id or 0,
        department_id or 0,
        staff_key,
        item_key,
        status,
        wait,
        handle,
    )


# Fields to read a stored ticket's fact with.
TICKET_FACT_FIELDS = (
    "day",
    "window_id",
    "department_id",
    "staff_id",
    "staff_no",
    "service_item_id",
    "business",
    "status",
    "taken_at",
    "called_at",
    "started_at",
    "finished_at",
)


def _epoch(value):
    return None if value is None else int(value.timestamp())


def stored_ticket_fact(values: dict, tz) -> TicketFact:
    """The fact of a ticket as read from the database (values of
    TICKET_FACT_FIELDS)."""
    return ticket_fact(
        day=values["day"],
        hour=values["taken_at"].astimezone(tz).hour,
        window_id=values["window_id"],
        department_id=values["department_id"],
        staff_key=staff_key(values["staff_id"], values["staff_no"]),
        item_key=item_key(values["service_item_id"], values["business"]),
        status=values["status"],
        taken=_epoch(values["taken_at"]),
        called=_epoch(values["called_at"]),
        started=_epoch(values["started_at"]),
        finished=_epoch(values["finished_at"]),
    )


class TicketDeltas:
    """Deltas for the ticket rollups, summed in memory until applied."""

    def __init__(self):
        # (day, dim, key, parent) → deltas in TICKET_COUNTERS order.
        self.stats: dict[tuple, list[int]] = {}
        # Minute → count changes; or, from the columnar import, additions
        # already encoded as a stored histogram.
        self.minutes: dict[tuple, dict[int, int] | bytes] = {}
        # (day, hour) → deltas in HOUR_COUNTERS order.
        self.hours = defaultdict(lambda: [0] * len(HOUR_COUNTERS))

    def add(self, fact: TicketFact, sign: int = 1) -> None:
        counter = STATUS_INDEX.get(fact.status)
        wait, handle = fact.wait, fact.handle
        minute = None if wait is None else wait // 60
        stats, minutes = self.stats, self.minutes
        for key in fact_keys(fact):
            row = stats.get(key)
            if row is None:
                row = stats[key] = [0] * len(TICKET_COUNTERS)
            row[TAKEN] += sign
            if counter:
                row[counter] += sign
            if wait is not None:
                row[WAITED] += sign
                row[WAIT_SUM] += sign * wait
                histogram = minutes.get(key)
                if histogram is None:
                    histogram = minutes[key] = {}
                histogram[minute] = histogram.get(minute, 0) + sign
            if handle is not None:
                row[HANDLED] += sign
                row[HANDLE_SUM] += sign * handle
        hour = self.hours[(fact.day, fact.hour)]
        hour[HOUR_TAKEN] += sign
        if wait is not None:
            hour[HOUR_WAITED] += sign
            hour[HOUR_WAIT_SUM] += sign * wait

    def __bool__(self) -> bool:
        return bool(self.stats)

    def apply(self, center_id: int) -> None:
        """Read the rows these deltas touch (locked on PostgreSQL), add, and
        write them back; rows not there yet are inserted."""
        if not self.stats and not self.hours:
            return
        Center.objects.service_changed([center_id])
        if self.stats:
            day_stats_apply(center_id=center_id, stats=self.stats, minutes=self.minutes)
        rollup_upsert(
            model=HourStat,
            keys=("day", "hour"),
            counters=HOUR_COUNTERS,
            rows=[
                (center_id, day.isoformat(), hour, *counts)
                for (day, hour), counts in self.hours.items()
                if any(counts)
            ],
        )


@lru_cache(maxsize=65536)
def _working_days(start: date, end: date) -> int:
    return working_days_between(start, end).days


@dataclass(frozen=True, slots=True)
class CaseFact:
    accepted_on: date
    department_id: int
    item_key: str
    outcome: str
    completed_on: date | None
    deadline: date
    promised_days: int
    notices: int


CASE_FACT_FIELDS = (
    "accepted_on",
    "department_id",
    "service_item_id",
    "item_name",
    "outcome",
    "completed_at",
    "deadline",
    "promised_days",
    "notices",
)


def stored_case_fact(values: dict, tz) -> CaseFact:
    completed = values["completed_at"]
    return CaseFact(
        values["accepted_on"],
        values["department_id"] or 0,
        item_key(values["service_item_id"], values["item_name"]),
        values["outcome"],
        completed.astimezone(tz).date() if completed else None,
        values["deadline"],
        values["promised_days"],
        values["notices"],
    )


class CaseDeltas:
    """Deltas for the case rollups: (day, department id, item key) → deltas
    in CASE_COUNTERS order."""

    def __init__(self):
        self.stats = defaultdict(lambda: [0] * len(CASE_COUNTERS))

    def add(self, fact: CaseFact, sign: int = 1) -> None:
        at = _CASE
        accepted = self.stats[(fact.accepted_on, fact.department_id, fact.item_key)]
        accepted[at["accepted"]] += sign
        if fact.notices >= 1:
            accepted[at["noticed"]] += sign
        if fact.notices >= 2:
            accepted[at["notice_breached"]] += sign
        if fact.outcome != Case.Outcome.COMPLETED or fact.completed_on is None:
            return
        done = self.stats[(fact.completed_on, fact.department_id, fact.item_key)]
        done[at["completed"]] += sign
        if fact.completed_on <= fact.deadline:
            done[at["on_time"]] += sign
        if fact.completed_on < fact.deadline:
            done[at["early"]] += sign
        if fact.completed_on > fact.deadline:
            done[at["overdue"]] += sign
        if fact.completed_on == fact.accepted_on:
            done[at["same_day"]] += sign
        if fact.promised_days > 0:
            took = max(0, _working_days(fact.accepted_on, fact.completed_on))
            done[at["compressible"]] += sign
            done[at["actual_days"]] += sign * took
            done[at["promised_days"]] += sign * fact.promised_days

    def __bool__(self) -> bool:
        return bool(self.stats)

    def apply(self, center_id: int) -> None:
        if self.stats:
            Center.objects.service_changed([center_id])
        rollup_upsert(
            model=CaseStat,
            keys=("day", "department_id", "item_key"),
            counters=CASE_COUNTERS,
            rows=[
                (center_id, day.isoformat(), *rest, *counts)
                for (day, *rest), counts in self.stats.items()
                if any(counts)
            ],
        )
