"""Reading a spreadsheet: CSV in UTF-8 (with or without BOM) or GBK/GB18030,
or an Excel workbook; rows come out as lists of cells, numbered as a
spreadsheet numbers them (the header is row 1)."""

import codecs
import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from .report import FileRejected

SAMPLE = 256 * 1024  # bytes read to tell the format and the encoding
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (BOM or not) first, then the Chinese national encodings, then
    whatever charset-normalizer finds most likely."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            # The sample may end inside a character: decode incrementally.
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    best = from_bytes(sample).best()
    if best is None:
        raise FileRejected(_("The file's text encoding cannot be recognised."))
    return best.encoding


def cell_text(value) -> str:
    """A cell as text: whole numbers without “.0”, empty for no value."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Table:
    """The header and the rows of a file, with a progress estimate.
    `workbook_only` refuses anything but an Excel workbook."""

    def __init__(self, path: Path, *, workbook_only: bool = False):
        self.path = Path(path)
        self.size = os.path.getsize(self.path)
        with self.path.open("rb") as handle:
            head = handle.read(SAMPLE)
        self.is_workbook = head.startswith((ZIP_MAGIC, OLE_MAGIC))
        if workbook_only and not self.is_workbook:
            raise FileRejected(_("The file is not a readable Excel workbook."))
        if not head.strip():
            raise FileRejected(_("The file is empty."))
        self.encoding = "xlsx" if self.is_workbook else detect_encoding(head)
        self._binary = None
        self.header: list[str] = []

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number, cells) for every row with a value; the header is read
        first, into `header`. Blank rows are skipped but keep their number."""
        if self.is_workbook:
            yield from self._workbook_rows()
        else:
            yield from self._csv_rows()

    def _csv_rows(self):
        self._binary = self.path.open("rb")
        text = io.TextIOWrapper(self._binary, encoding=self.encoding, newline="")
        reader = csv.reader(text)
        number = 1
        try:
            try:
                self.header = [h.strip().lstrip("\ufeff") for h in next(reader)]
            except StopIteration:
                raise FileRejected(_("The file is empty.")) from None
            for number, row in enumerate(reader, start=2):
                if row and any(row):
                    yield number, row
        except UnicodeDecodeError as error:
            raise FileRejected(
                _("Row %(row)s is not valid %(encoding)s text.")
                % {"row": number + 1, "encoding": self.encoding}
            ) from error
        except csv.Error as error:
            raise FileRejected(
                _("Row %(row)s cannot be read as CSV: %(reason)s")
                % {"row": number + 1, "reason": error}
            ) from error
        finally:
            self._binary.close()

    def _workbook_rows(self):
        try:
            sheet = CalamineWorkbook.from_path(str(self.path)).get_sheet_by_index(0)
            rows = sheet.iter_rows()
            self._total_rows = sheet.height
            header = next(rows, None)
        except Exception as error:  # calamine raises several types for bad files
            raise FileRejected(
                _("The file is not a readable Excel workbook.")
            ) from error
        if not header:
            raise FileRejected(_("The workbook's first sheet is empty."))
        self.header = [cell_text(h) for h in header]
        for number, row in enumerate(rows, start=2):
            self._row = number
            if any(c not in ("", None) for c in row):
                yield number, list(row)

    def fraction_read(self) -> float:
        """How far through the file reading has got, 0–1."""
        if self.is_workbook:
            total = getattr(self, "_total_rows", 0)
            return min(1.0, getattr(self, "_row", 0) / total) if total else 0.0
        if self._binary is None or self._binary.closed or not self.size:
            return 1.0 if self._binary is not None else 0.0
        return min(1.0, self._binary.tell() / self.size)
