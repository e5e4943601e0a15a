"""The import of a source system's records, on the kit's run (batches in one
transaction, written while the file is clean, every bad row named, all
rolled back — records, rollups, the audit event — on any bad row or a dry
run): the source and its saved mapping, local times, and the lookups."""

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import uuid_utils
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.imports import Importer, plain
from gembahall.org.models import Person, Unit

from ..models import Source
from .fields import MISSING_COLUMNS
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


class RecordImporter(Importer):
    """One import of one export file into a source system's records. A
    subclass reads a row into a record and writes a batch of records."""

    kind = ""  # Source.Kind
    missing_message = MISSING_COLUMNS
    report_class = ImportReport

    def __init__(
        self,
        *,
        center,
        path: Path,
        actor=None,
        source_name="",
        mapping=None,
        save_mapping=False,
        dry_run=False,
        progress: Callable | None = None,
    ):
        super().__init__(path=path, dry_run=dry_run, progress=progress, mapping=mapping)
        self.center = center
        self.actor = actor
        self.time = LocalTime()
        self.report.kind = self.kind
        # Not translated: the name is part of every record's key.
        self.source_name = source_name or DEFAULT_SOURCE
        self.source = Source.objects.filter(
            center=self.center, kind=self.kind, name=self.source_name
        ).first()
        self.saved = dict(self.source.columns) if self.source else {}
        self.save_mapping = save_mapping
        self.report.profile = self.source_name
        self.report.saved_mapping = dict(self.saved)
        # Saved field → header pairs this file lacks.
        self.stale: dict[str, str] = {}

    def column_mapping(self) -> dict:
        """The source's saved mapping, with this import's on top. A saved
        header the file lacks falls back to the automatic match (a system
        upgraded to new export headers); a header given for this import
        must be there."""
        present = {plain(h) for h in self.header}
        kept = {}
        for field, header in self.saved.items():
            if field in self.mapping:
                continue
            if plain(header) in present:
                kept[field] = header
            else:
                self.stale[field] = header
        return {**kept, **self.mapping}

    def mapping_warnings(self) -> None:
        """Name every saved header the file lacked and what was used instead."""
        labels = {c.field: c.name for c in self.columns_spec}
        for field, header in self.stale.items():
            values = {"profile": self.source_name, "header": header}
            values["field"] = labels.get(field, field)
            if field in self.columns:
                values["found"] = self.header[self.columns[field]]
                message = _(
                    "The profile “%(profile)s” maps %(field)s to the column "
                    "“%(header)s”, which this file lacks; the column “%(found)s” "
                    "was matched by its header instead."
                )
            else:
                message = _(
                    "The profile “%(profile)s” maps %(field)s to the column "
                    "“%(header)s”, which this file lacks; the field is left empty."
                )
            self.report.warnings.append(message % values)

    def prepare(self) -> None:
        """Load the lookups every import needs once: the center's windows by
        code (or name) and its staff by staff number."""
        self.report.columns = {f: self.header[i] for f, i in self.columns.items()}
        self.mapping_warnings()
        self.windows, self.window_labels = {}, {}
        for pk, code, name, department in Unit.objects.filter(
            center=self.center, kind__in=Unit.WINDOW_KINDS
        ).values_list("pk", "code", "name", "department_id"):
            self.windows.setdefault(code_key(name), (pk, department))
            if code:
                self.windows[code_key(code)] = (pk, department)
            self.window_labels[pk] = code or name
        self.staff = dict(
            Person.objects.filter(center=self.center).values_list("staff_number", "pk")
        )

    def begin(self) -> None:
        """The source system; the mapping this import was given becomes its
        saved one only when asked to."""
        mapping = {**self.saved, **self.mapping} if self.save_mapping else None
        if self.source is None:
            self.source = Source.objects.create(
                center=self.center,
                kind=self.kind,
                name=self.source_name,
                columns=mapping or {},
            )
        elif mapping is not None and mapping != self.saved:
            self.source.columns = mapping
            self.source.save(update_fields=["columns", "updated_at"])

    def finish(self) -> None:
        """Apply the rollup deltas, then record the import."""
        self.apply_rollups()
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

    def words(self, common: dict) -> dict:
        """The export's status words: the common ones and the source system's."""
        words = {**common, **(self.source.statuses if self.source else {})}
        return {k.strip().lower(): v for k, v in words.items()}

    def apply_rollups(self) -> None:
        """Apply the rollup deltas of a clean file."""

    def new_public_id(self) -> str:
        return self.time.new_id()


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
