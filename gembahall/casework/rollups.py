"""Incremental rollups: every write to a ticket or a case turns into deltas —
minus what the old record contributed, plus what the new one does — added to
the rollup rows with one upsert per table. Imports, API events and
corrections all go through here, so the KPIs never need a full scan."""

import sys
from array import array
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connection
from django.db.models import Q

from gembahall.core.workdays import working_days_between
from gembahall.org.models import Center

from .models import CaseStat, DayStat, HourStat, Ticket

# Ticket counters of a DayStat row, in order.
TICKET_COUNTERS = (
    "taken",
    "served",
    "no_show",
    "returned",
    "transferred",
    "waited",
    "wait_sum",
    "handled",
    "handle_sum",
)
CASE_COUNTERS = (
    "accepted",
    "completed",
    "on_time",
    "early",
    "overdue",
    "same_day",
    "compressible",
    "actual_days",
    "promised_days",
    "noticed",
    "notice_breached",
)
STATUS_COUNTER = {
    Ticket.Status.SERVED: 1,
    Ticket.Status.NO_SHOW: 2,
    Ticket.Status.RETURNED: 3,
    Ticket.Status.TRANSFERRED: 4,
}


def staff_key(staff_id, staff_no: str) -> str:
    if staff_id:
        return f"p{staff_id}"
    return f"n{staff_no}" if staff_no else ""


def item_key(service_item_id, name: str) -> str:
    if service_item_id:
        return f"i{service_item_id}"
    return f"b{name[:120]}" if name else ""


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


def fact_keys(fact: TicketFact) -> list[tuple]:
    """The DayStat rows a ticket counts in: (day, dim, key, parent)."""
    day, window, department = fact.day, fact.window_id, fact.department_id
    keys = [(day, "c", "", 0)]
    if department:
        keys.append((day, "d", str(department), 0))
    if window:
        keys.append((day, "w", str(window), department))
    if fact.staff_key:
        keys.append((day, "s", fact.staff_key, 0))
        if window:
            keys.append((day, "sw", fact.staff_key, window))
    if fact.item_key:
        keys.append((day, "i", fact.item_key, 0))
    return keys


class TicketDeltas:
    """Deltas for the ticket rollups, summed in memory until applied."""

    def __init__(self):
        self.stats: dict[tuple, list[int]] = {}
        # Minute → count changes; or, from the columnar import, additions
        # already encoded as a stored histogram.
        self.minutes: dict[tuple, dict[int, int] | bytes] = {}
        self.hours = defaultdict(lambda: [0, 0, 0])

    def add(self, fact: TicketFact, sign: int = 1) -> None:
        counter = STATUS_COUNTER.get(fact.status)
        wait, handle = fact.wait, fact.handle
        minute = None if wait is None else wait // 60
        stats, minutes = self.stats, self.minutes
        for key in fact_keys(fact):
            row = stats.get(key)
            if row is None:
                row = stats[key] = [0] * len(TICKET_COUNTERS)
            row[0] += sign
            if counter:
                row[counter] += sign
            if wait is not None:
                row[5] += sign
                row[6] += sign * wait
                histogram = minutes.get(key)
                if histogram is None:
                    histogram = minutes[key] = {}
                histogram[minute] = histogram.get(minute, 0) + sign
            if handle is not None:
                row[7] += sign
                row[8] += sign * handle
        hour = self.hours[(fact.day, fact.hour)]
        hour[0] += sign
        if wait is not None:
            hour[1] += sign
            hour[2] += sign * wait

    def __bool__(self) -> bool:
        return bool(self.stats)

    def apply(self, center_id: int) -> None:
        """Read the rows these deltas touch (locked on PostgreSQL), add, and
        write them back; rows not there yet are inserted."""
        if not self.stats and not self.hours:
            return
        Center.objects.service_changed([center_id])
        if self.stats:
            _apply_day_stats(center_id, self.stats, self.minutes)
        _upsert(
            HourStat,
            ("day", "hour"),
            ("taken", "waited", "wait_sum"),
            [
                (center_id, day.isoformat(), hour, *counts)
                for (day, hour), counts in self.hours.items()
                if any(counts)
            ],
        )


def _counts(blob) -> array:
    """A stored histogram (little-endian unsigned 32-bit counts)."""
    counts = array("I")
    counts.frombytes(bytes(blob))
    if sys.byteorder == "big":
        counts.byteswap()
    return counts


def _blob(counts: array) -> bytes:
    if sys.byteorder == "big":
        counts = array("I", counts)
        counts.byteswap()
    return counts.tobytes()


def histogram_add(blob: bytes, changes: dict[int, int]) -> bytes:
    counts = _counts(blob)
    top = max(changes) + 1
    if len(counts) < top:
        counts.extend([0] * (top - len(counts)))
    for minute, n in changes.items():
        counts[minute] += n
    while counts and not counts[-1]:
        counts.pop()
    return _blob(counts)


def histogram_merge(blobs) -> list[int]:
    """The sum of stored histograms, as counts by minute."""
    total: list[int] = []
    for blob in blobs:
        counts = _counts(blob)
        if len(total) < len(counts):
            total.extend([0] * (len(counts) - len(total)))
        for minute, n in enumerate(counts):
            if n:
                total[minute] += n
    return total


def _apply_day_stats(center_id, stats: dict, minutes: dict) -> None:
    by_day = defaultdict(list)
    for key in stats:
        by_day[key[0]].append(key)
    days = sorted(by_day)
    columns = ("id", *TICKET_COUNTERS, "minutes")
    for start in range(0, len(days), 7):
        chunk = days[start : start + 7]
        wanted = {k for day in chunk for k in by_day[day]}
        rows = DayStat.objects.filter(center_id=center_id, day__in=chunk)
        if len(wanted) <= 60:
            q = Q(pk__in=[])
            for day, dim, key, parent in wanted:
                q |= Q(day=day, dim=dim, key=key, parent=parent)
            rows = rows.filter(q)
        if connection.vendor == "postgresql":
            rows = rows.select_for_update()
        found = {
            (r[0], r[1], r[2], r[3]): r[4:]
            for r in rows.values_list("day", "dim", "key", "parent", *columns)
        }
        updates, inserts = [], []
        for key in wanted:
            delta = stats[key]
            changes = minutes.get(key, {})
            old = found.get(key)
            if isinstance(changes, bytes):  # a histogram of additions, encoded
                if old is None:
                    inserts.append(
                        (center_id, key[0].isoformat(), *key[1:], *delta, changes)
                    )
                    continue
                changes = dict(enumerate(_counts(changes)))
            changes = {m: n for m, n in changes.items() if n}
            if old is None:
                if not any(delta):
                    continue
                blob = histogram_add(b"", changes) if changes else b""
                inserts.append((center_id, key[0].isoformat(), *key[1:], *delta, blob))
                continue
            if not any(delta) and not changes:
                continue
            values = [a + b for a, b in zip(old[1:-1], delta, strict=True)]
            blob = bytes(old[-1])
            if changes:
                blob = histogram_add(blob, changes)
            updates.append((*values, blob, old[0]))
        table = DayStat._meta.db_table
        with connection.cursor() as cursor:
            if inserts:
                names = (
                    "center_id",
                    "day",
                    "dim",
                    "key",
                    "parent",
                    *TICKET_COUNTERS,
                    "minutes",
                )
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(names)}) "
                    f"VALUES ({', '.join(['%s'] * len(names))})",
                    inserts,
                )
            if updates:
                sets = ", ".join(f"{c} = %s" for c in (*TICKET_COUNTERS, "minutes"))
                cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", updates)


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
    def __init__(self):
        self.stats = defaultdict(lambda: [0] * len(CASE_COUNTERS))

    def add(self, fact: CaseFact, sign: int = 1) -> None:
        accepted = self.stats[(fact.accepted_on, fact.department_id, fact.item_key)]
        accepted[0] += sign
        if fact.notices >= 1:
            accepted[9] += sign
        if fact.notices >= 2:
            accepted[10] += sign
        if fact.outcome != "completed" or fact.completed_on is None:
            return
        done = self.stats[(fact.completed_on, fact.department_id, fact.item_key)]
        done[1] += sign
        if fact.completed_on <= fact.deadline:
            done[2] += sign
        if fact.completed_on < fact.deadline:
            done[3] += sign
        if fact.completed_on > fact.deadline:
            done[4] += sign
        if fact.completed_on == fact.accepted_on:
            done[5] += sign
        if fact.promised_days > 0:
            done[6] += sign
            done[7] += sign * max(0, _working_days(fact.accepted_on, fact.completed_on))
            done[8] += sign * fact.promised_days

    def __bool__(self) -> bool:
        return bool(self.stats)

    def apply(self, center_id: int) -> None:
        if self.stats:
            Center.objects.service_changed([center_id])
        _upsert(
            CaseStat,
            ("day", "department_id", "item_key"),
            CASE_COUNTERS,
            [
                (center_id, day.isoformat(), *rest, *counts)
                for (day, *rest), counts in self.stats.items()
                if any(counts)
            ],
        )


def _upsert(model, keys, counters, rows, batch: int = 5000) -> None:
    """Add each row's counters to the row with its key, creating it if new
    (INSERT … ON CONFLICT DO UPDATE, the same on SQLite and PostgreSQL)."""
    if not rows:
        return
    table = model._meta.db_table
    columns = ("center_id", *keys, *counters)
    qn = connection.ops.quote_name
    conflict = ", ".join(qn(c) for c in ("center_id", *keys))
    updates = ", ".join(
        f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in counters
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])
