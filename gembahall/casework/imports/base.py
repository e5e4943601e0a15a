"""The import run shared by tickets and cases: read in batches inside one
transaction, write each batch while the file is clean, keep checking after
the first error so the report names every bad row, and roll everything back
— records, rollups, the audit event — when any row is bad or on a dry run."""

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import uuid_utils
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.org.models import Person, Unit

from ..models import Source
from .fields import FIELD_LABELS, match_columns
from .read import Table
from .report import ImportReport

EPOCH = datetime(1970, 1, 1)
DEFAULT_SOURCE = "默认"


class LocalTime:
    """Local wall-clock times of a file → epoch seconds and database values,
    with the zone's offset looked up once per day."""

    def __init__(self):
        self.tz = timezone.get_current_timezone()
        self.postgres = connection.vendor == "postgresql"
        self._offsets: dict = {}

    def offset(self, day) -> timedelta:
        offset = self._offsets.get(day)
        if offset is None:
            noon = datetime(day.year, day.month, day.day, 12)
            offset = self._offsets[day] = self.tz.utcoffset(noon)
        return offset

    def epoch(self, value: datetime) -> int:
        return int((value - EPOCH - self.offset(value.date())).total_seconds())

    def db(self, value: datetime | None):
        if value is None:
            return None
        if self.postgres:
            return value.replace(tzinfo=self.tz)
        return (value - self.offset(value.date())).isoformat(" ")

    def new_id(self) -> str:
        """A new UUIDv7 public id as the database takes it (text for COPY on
        PostgreSQL, 32 hex digits on SQLite)."""
        value = uuid_utils.uuid7()
        return str(value) if self.postgres else value.hex

    def db_now(self):
        now = timezone.now()
        return now if self.postgres else now.replace(tzinfo=None).isoformat(" ")


class Importer:
    """One import of one file. Subclasses read a row into a record and write
    a batch of records."""

    kind = ""  # Source.Kind
    headers: dict = {}
    required: tuple = ()
    batch_size = 2000

    def __init__(
        self,
        *,
        center,
        path: Path,
        actor=None,
        source_name="",
        mapping=None,
        dry_run=False,
        progress: Callable | None = None,
    ):
        self.center = center
        self.path = Path(path)
        self.actor = actor
        self.dry_run = dry_run
        self.progress = progress
        self.time = LocalTime()
        self.report = ImportReport(kind=self.kind, dry_run=dry_run)
        # Not translated: the name is part of every record's key.
        self.source_name = source_name or DEFAULT_SOURCE
        self.mapping = dict(mapping or {})
        self.seen: dict = {}

    def header_label(self, field: str) -> str:
        index = self.columns.get(field)
        if index is not None and index < len(self.header):
            return self.header[index]
        return str(FIELD_LABELS.get(field, field))

    def error(self, row: int, field: str, message) -> None:
        self.report.error(row, field, message, self.header_label(field))

    def run(self) -> ImportReport:
        table = Table(self.path)
        self.report.encoding = table.encoding
        rows = table.rows()
        first = next(rows, None)
        self.header = table.header
        self.source = Source.objects.filter(
            center=self.center, kind=self.kind, name=self.source_name
        ).first()
        saved = dict(self.source.columns) if self.source else {}
        self.columns = match_columns(
            self.header, self.headers, {**saved, **self.mapping}, self.required
        )
        self.report.columns = {f: self.header[i] for f, i in self.columns.items()}
        self.prepare()
        with transaction.atomic():
            if self.source is None:
                self.source = Source.objects.create(
                    center=self.center,
                    kind=self.kind,
                    name=self.source_name,
                    columns=self.mapping,
                )
            elif self.mapping and {**saved, **self.mapping} != saved:
                self.source.columns = {**saved, **self.mapping}
                self.source.save(update_fields=["columns", "updated_at"])
            if not self.columnar(table):
                self._read_rows(table, first, rows)
            self.summarize()
            if not self.report.errors:
                self.finish()
                self.report.accepted = True
                event_record(
                    actor=self.actor,
                    action=f"{self.kind}.import",
                    target=self.source,
                    center_id=self.center.pk,
                    after={
                        "file": self.path.name,
                        "rows": self.report.rows,
                        "created": self.report.created,
                        "updated": self.report.updated,
                        "unchanged": self.report.unchanged,
                    },
                )
            if self.report.errors or self.dry_run:
                transaction.set_rollback(True)
        if self.report.errors:
            self.report.accepted = False
        if self.progress:
            self.progress(1.0)
        return self.report

    def _read_rows(self, table, first, rows) -> None:
        """The row reader: every row checked, written a batch at a time."""
        batch = []
        if first is not None:
            batch.append(self._read(*first))
        for number, cells in rows:
            batch.append(self._read(number, cells))
            if len(batch) >= self.batch_size:
                self._flush(batch)
                batch = []
                if self.progress:
                    self.progress(table.fraction_read())
        self._flush(batch)

    def _read(self, number: int, cells: list):
        self.report.rows += 1
        record = self.read(number, cells)
        if record is None:
            return None
        key = self.key(record)
        earlier = self.seen.get(key)
        if earlier is not None:
            self.error(
                number,
                self.key_field,
                _("the same record is already in row %(row)s") % {"row": earlier},
            )
            return None
        self.seen[key] = number
        return record

    def _flush(self, batch: list) -> None:
        records = [r for r in batch if r is not None]
        if records and not self.report.errors:
            self.write(records)

    # ── hooks ──
    key_field = ""

    def prepare(self) -> None:
        """Load the lookups every import needs once: the center's windows by
        code (or name) and its staff by staff number."""
        self.windows = {}
        for pk, code, name, department in Unit.objects.filter(
            center=self.center, kind__in=Unit.WINDOW_KINDS
        ).values_list("pk", "code", "name", "department_id"):
            self.windows.setdefault(code_key(name), (pk, department))
            if code:
                self.windows[code_key(code)] = (pk, department)
        self.staff = dict(
            Person.objects.filter(center=self.center).values_list("staff_number", "pk")
        )

    def words(self, common: dict) -> dict:
        """The export's status words: the common ones and the source system's."""
        words = {**common, **(self.source.statuses if self.source else {})}
        return {k.strip().lower(): v for k, v in words.items()}

    def columnar(self, table) -> bool:
        """Import the whole file on a fast path of the subclass's own; False
        when the rows are to be read one by one."""
        return False

    def read(self, number: int, cells: list):
        raise NotImplementedError

    def key(self, record):
        raise NotImplementedError

    def write(self, records: list) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Apply the rollup deltas."""

    def summarize(self) -> None:
        """Put the warnings on the report."""

    def new_public_id(self) -> str:
        return self.time.new_id()


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def code_key(text: str) -> str:
    return text.strip().upper()


def raw_insert(model, objects: list) -> None:
    """Insert model instances with one executemany, without the ORM's
    per-object compile (several times faster for thousands of rows).
    Defaults are applied as the ORM would; primary keys are not set back."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = model._meta.db_table
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [
        tuple(
            f.get_db_prep_save(
                f.pre_save(obj, add=True)
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else getattr(obj, f.attname),
                connection,
            )
            for f in fields
        )
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
