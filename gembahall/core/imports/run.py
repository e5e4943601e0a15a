"""One import of one file: read it, map its header, check every row, keep the
first rows as a preview, and write all of it or none of it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from django.db import transaction
from django.utils.translation import gettext as _

from .columns import MISSING, Column, match_columns
from .read import Table, cell_text
from .report import Report

Progress = Callable[[float], None]  # called with the fraction done, 0–1


@contextmanager
def all_or_nothing(report: Report, *, dry_run: bool = False) -> Iterator[None]:
    """One transaction, rolled back when any row is bad or on a dry run, so a
    rejected file changes nothing: records, rollups, audit events."""
    with transaction.atomic():
        yield
        if report.errors or dry_run:
            transaction.set_rollback(True)


class Importer:
    """Reads rows into records and writes them a batch at a time while the
    file is clean; after the first bad row it only checks, so the report
    names every bad row. A subclass declares its columns and fills the hooks
    (`read`, `write`, and where needed `key`, `check`, `finish`)."""

    columns_spec: ClassVar[tuple[Column, ...]] = ()
    missing_message: ClassVar[Any] = MISSING
    workbook_only: ClassVar[bool] = False
    batch_size: ClassVar[int | None] = 2000  # None: the whole file is one batch
    preview_rows: ClassVar[int] = 20
    key_field: ClassVar[str] = ""
    report_class: ClassVar[type[Report]] = Report

    def __init__(
        self,
        *,
        path: Path,
        dry_run: bool = False,
        progress: Progress | None = None,
        mapping: dict[str, str] | None = None,
    ):
        self.path = Path(path)
        self.dry_run = dry_run
        self.progress = progress
        self.mapping = dict(mapping or {})
        self.report = self.report_class(dry_run=dry_run)
        self.header: list[str] = []
        self.columns: dict[str, int] = {}
        self.seen: dict = {}

    def run(self) -> Report:
        table = Table(self.path, workbook_only=self.workbook_only)
        self.report.encoding = table.encoding
        rows = table.rows()
        first = next(rows, None)
        self.header = table.header
        self.columns = match_columns(
            self.header,
            self.columns_spec,
            self.column_mapping(),
            missing=self.missing_message,
        )
        self.prepare()
        with all_or_nothing(self.report, dry_run=self.dry_run):
            self.begin()
            if not self.columnar(table):
                self._read_rows(table, first, rows)
            self.summarize()
            if not self.report.errors:
                self.finish()
                self.report.accepted = True
        if self.report.errors:
            self.report.accepted = False
        if self.progress:
            self.progress(1.0)
        return self.report

    def _read_rows(self, table: Table, first, rows) -> None:
        """The row reader: every row checked, written a batch at a time."""
        batch = []
        if first is not None:
            batch.append(self._read(*first))
        for number, cells in rows:
            batch.append(self._read(number, cells))
            if self.batch_size and len(batch) >= self.batch_size:
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
        if key is not None:
            earlier = self.seen.get(key)
            if earlier is not None:
                self.error(
                    number,
                    self.key_field,
                    _("the same record is already in row %(row)s") % {"row": earlier},
                )
                return None
            self.seen[key] = number
        if len(self.report.preview) < self.preview_rows:
            self.report.preview.append({"row": number, **self.preview(record)})
        return record

    def _flush(self, batch: list) -> None:
        records = [r for r in batch if r is not None]
        if records:
            self.check(records)
        if records and not self.report.errors:
            self.write(records)

    # ── for the hooks ──

    def header_label(self, field: str) -> str:
        """The column's header as the file names it, or the field's label."""
        index = self.columns.get(field)
        if index is not None and index < len(self.header):
            return self.header[index]
        for column in self.columns_spec:
            if column.field == field:
                return column.name
        return field

    def error(self, row: int, field: str, message) -> None:
        self.report.error(row, field, message, self.header_label(field))

    def texts(self, cells: list) -> dict[str, str]:
        """The row's mapped cells as text, by field."""
        width = len(cells)
        return {
            field: cell_text(cells[index]) if index < width else ""
            for field, index in self.columns.items()
        }

    # ── hooks ──

    def column_mapping(self) -> dict[str, str]:
        """Field → header chosen for this file (e.g. a source's saved one)."""
        return self.mapping

    def prepare(self) -> None:
        """Load the lookups the rows need, once."""

    def begin(self) -> None:
        """First writes inside the import's transaction."""

    def columnar(self, table: Table) -> bool:
        """Import the whole file on a fast path of the subclass's own; False
        when the rows are to be read one by one."""
        return False

    def read(self, number: int, cells: list):
        """The row as a record, or None after naming its errors."""
        raise NotImplementedError

    def key(self, record) -> Any:
        """What makes a record unique in the file; None: not checked."""
        return None

    def preview(self, record) -> dict:
        """The record as it will be written, in plain values for a page."""
        return {}

    def check(self, records: list) -> None:
        """Checks that need the batch or the database, naming bad rows."""

    def write(self, records: list) -> None:
        raise NotImplementedError

    def summarize(self) -> None:
        """Put the warnings on the report."""

    def finish(self) -> None:
        """Last writes of a clean file (rollups, the audit event)."""
