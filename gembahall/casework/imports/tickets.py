"""Importing queue tickets."""

from collections import Counter

from django.db import connection
from django.utils.translation import gettext as _

from gembahall.core.imports import cell_text

from ..models import ServiceItem, Ticket
from ..rollups import (
    TICKET_FACT_FIELDS,
    TicketDeltas,
    item_key,
    staff_key,
    stored_ticket_fact,
    ticket_fact,
)
from .base import RecordImporter, code_key
from .fields import TICKET_COLUMNS, TICKET_STATUS_WORDS, BadDate
from .fields import parse_datetime as parse

INSERT_COLUMNS = (
    "public_id",
    "created_at",
    "updated_at",
    "center_id",
    "source_id",
    "ticket_no",
    "day",
    "business",
    "service_item_id",
    "window_id",
    "department_id",
    "staff_id",
    "staff_no",
    "taken_at",
    "called_at",
    "started_at",
    "finished_at",
    "status",
)
# Fields a later export may change; compared to decide unchanged or updated.
UPDATE_COLUMNS = INSERT_COLUMNS[7:]
TIMES = ("taken_at", "called_at", "started_at", "finished_at")


class TicketImporter(RecordImporter):
    kind = "tickets"
    columns_spec = TICKET_COLUMNS
    key_field = "ticket_no"
    rollup_rows = 200_000  # pending rollup rows that trigger applying them

    def prepare(self):
        super().prepare()
        self.items = {
            name: pk
            for pk, name in ServiceItem.objects.filter(center=self.center).values_list(
                "pk", "name"
            )
        }
        self.statuses = self.words(TICKET_STATUS_WORDS)
        self.unknown_staff, self.unknown_business = Counter(), Counter()
        self.deltas = TicketDeltas()
        self.c = [self.columns.get(c.field) for c in TICKET_COLUMNS]

    def columnar(self, table) -> bool:
        # deferred: Polars and NumPy load only when tickets are imported
        from .columnar import import_columnar

        return import_columnar(self, table, self.progress)

    def key(self, record):
        return (record[2], record[3])  # ticket number, day

    def preview(self, record) -> dict:
        _n, business, ticket_no, day, _i, window_id, _d, _s, staff_no = record[:9]
        return self.preview_values(
            ticket_no, day, business, window_id, staff_no, record[9:13], record[13]
        )

    def preview_values(
        self, ticket_no, day, business, window_id, staff_no, times, status
    ) -> dict:
        """A ticket as it will be stored, in text: the same from both paths."""
        return {
            "ticket_no": ticket_no,
            "day": day.isoformat(),
            "business": business,
            "window": self.window_labels.get(window_id, ""),
            "staff_no": staff_no,
            **{
                field: value.isoformat(" ") if value else ""
                for field, value in zip(TIMES, times, strict=True)
            },
            "status": status,
        }

    def read(self, number, cells):
        (
            c_no,
            c_business,
            c_window,
            c_staff,
            c_taken,
            c_called,
            c_started,
            c_finished,
            c_status,
        ) = self.c
        width = len(cells)

        def cell(index):
            return cells[index] if index is not None and index < width else None

        ticket_no = cell_text(cell(c_no))
        ok = True
        if not ticket_no:
            self.error(number, "ticket_no", _("the ticket number is missing"))
            ok = False
        elif len(ticket_no) > 30:
            self.error(number, "ticket_no", _("longer than 30 characters"))
            ok = False
        times = []
        for field, index in zip(
            TIMES, (c_taken, c_called, c_started, c_finished), strict=True
        ):
            try:
                times.append(parse(cell(index)))
            except BadDate as bad:
                self.error(
                    number,
                    field,
                    _("not a date and time: “%(value)s”") % {"value": bad},
                )
                times.append(None)
                ok = False
        taken, called, started, finished = times
        if taken is None and ok:
            self.error(number, "taken_at", _("the time taken is missing"))
            ok = False
        if ok:
            for field, value in (("called_at", called), ("started_at", started)):
                if value is not None and value < taken:
                    self.error(number, field, _("before the ticket was taken"))
                    ok = False
            if finished is not None and finished < (started or taken):
                self.error(
                    number,
                    "finished_at",
                    _("finished before it started")
                    if started
                    else _("finished before the ticket was taken"),
                )
                ok = False
        word = cell_text(cell(c_status)).lower()
        status = self.statuses.get(word) if word else ""
        if status is None:
            self.error(
                number,
                "status",
                _("unknown status “%(value)s”: map it in the source system")
                % {"value": word},
            )
            ok = False
        elif not status and finished is not None:
            status = Ticket.Status.SERVED
        window_code = code_key(cell_text(cell(c_window)))
        window = self.windows.get(window_code) if window_code else (None, None)
        if window is None:
            self.error(
                number,
                "window",
                _("no window “%(value)s” in this center") % {"value": window_code},
            )
            ok = False
        if not ok:
            return None
        staff_no = cell_text(cell(c_staff))[:30]
        staff_id = self.staff.get(staff_no) if staff_no else None
        if staff_no and staff_id is None:
            self.unknown_staff[staff_no] += 1
        business = cell_text(cell(c_business))[:120]
        item_id = self.items.get(business) if business else None
        if business and item_id is None:
            self.unknown_business[business] += 1
        return (
            number,
            business,
            ticket_no,
            taken.date(),
            item_id,
            window[0],
            window[1],
            staff_id,
            staff_no,
            taken,
            called,
            started,
            finished,
            status,
        )

    def _fact(self, record):
        (
            _n,
            business,
            _no,
            day,
            item_id,
            window_id,
            department_id,
            staff_id,
            staff_no,
            taken,
            called,
            started,
            finished,
            status,
        ) = record
        epoch = self.time.epoch
        return ticket_fact(
            day=day,
            hour=taken.hour,
            window_id=window_id,
            department_id=department_id,
            staff_key=staff_key(staff_id, staff_no),
            item_key=item_key(item_id, business),
            status=status,
            taken=epoch(taken),
            called=epoch(called) if called else None,
            started=epoch(started) if started else None,
            finished=epoch(finished) if finished else None,
        )

    def _values(self, record) -> tuple:
        """The record's UPDATE_COLUMNS as database values."""
        (
            _n,
            business,
            _no,
            day,
            item_id,
            window_id,
            department_id,
            staff_id,
            staff_no,
            taken,
            called,
            started,
            finished,
            status,
        ) = record
        db = self.time.db
        return (
            day.isoformat(),
            business,
            item_id,
            window_id,
            department_id,
            staff_id,
            staff_no,
            db(taken),
            db(called),
            db(started),
            db(finished),
            status,
        )

    def write(self, records):
        existing = self._existing(records)
        inserts, updates = [], []
        now = self.time.db_now()
        center_id, source_id = self.center.pk, self.source.pk
        tz = self.time.tz
        for record in records:
            fact = self._fact(record)
            old = existing.get((record[2], record[3]))
            if old is None:
                inserts.append(
                    (
                        self.new_public_id(),
                        now,
                        now,
                        center_id,
                        source_id,
                        record[2],
                        *self._values(record),
                    )
                )
                self.deltas.add(fact)
                continue
            old_fact = stored_ticket_fact(old, tz)
            if old_fact == fact and self._same(old, record):
                self.report.unchanged += 1
                continue
            updates.append((*self._values(record)[1:], now, old["id"]))
            self.deltas.add(old_fact, -1)
            self.deltas.add(fact)
        self._insert(inserts)
        self._update(updates)
        # Rollup deltas are applied as the file goes, inside the import's
        # transaction, so memory stays bounded; a rejected file rolls them back.
        if len(self.deltas.stats) >= self.rollup_rows:
            self.deltas.apply(self.center.pk)
            self.deltas = TicketDeltas()
        self.report.created += len(inserts)
        self.report.updated += len(updates)

    def _same(self, old: dict, record) -> bool:
        epoch = self.time.epoch
        for value, new in zip((old[f] for f in TIMES), record[9:13], strict=True):
            if (value is None) != (new is None):
                return False
            if value is not None and int(value.timestamp()) != epoch(new):
                return False
        return old["staff_no"] == record[8] and old["business"] == record[1]

    def _existing(self, records) -> dict:
        numbers = {r[2] for r in records}
        days = [r[3] for r in records]
        rows = Ticket.objects.filter(
            center=self.center,
            source=self.source,
            ticket_no__in=numbers,
            day__range=(min(days), max(days)),
        ).values("id", "ticket_no", *TICKET_FACT_FIELDS)
        return {(r["ticket_no"], r["day"]): r for r in rows}

    def _insert(self, rows):
        if not rows:
            return
        table = Ticket._meta.db_table
        columns = ", ".join(INSERT_COLUMNS)
        with connection.cursor() as cursor:
            if self.time.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows
                )

    def _update(self, rows):
        if not rows:
            return
        table = Ticket._meta.db_table
        sets = ", ".join(f"{c} = %s" for c in (*UPDATE_COLUMNS, "updated_at"))
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)

    def apply_rollups(self):
        self.deltas.apply(self.center.pk)

    def summarize(self):
        self.report.unknown_staff = dict(self.unknown_staff.most_common(200))
        self.report.unknown_business = dict(self.unknown_business.most_common(200))


def import_tickets(**kwargs):
    """Import a queue system's export; see RecordImporter for the arguments."""
    return TicketImporter(**kwargs).run()
