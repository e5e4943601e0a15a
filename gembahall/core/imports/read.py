"""Reading a spreadsheet: CSV in UTF-8 (with or without BOM) or GBK/GB18030,
or an Excel workbook; rows come out as lists of cells, numbered as a
spreadsheet numbers them (the header is row 1)."""

import codecs
import csv
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes
from django.conf import settings
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


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def file_check(handle, size: int) -> None:
    """Refuse, before any parser opens it, a file larger than IMPORT_MAX_BYTES
    and an Excel workbook (a zip) that holds more than IMPORT_MAX_ZIP_ENTRIES
    entries or expands beyond IMPORT_MAX_EXPANDED_BYTES: a 1 MB workbook can
    expand to gigabytes in the parser's memory. `handle` is a binary file
    open at any position; it is left at its start."""
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRejected(
            _("The file is %(size)s MB; an import takes at most %(limit)s MB.")
            % {
                "size": f"{size / (1024 * 1024):.1f}",
                "limit": _megabytes(settings.IMPORT_MAX_BYTES),
            }
        )
    handle.seek(0)
    is_zip = handle.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    handle.seek(0)
    if is_zip:
        try:
            _zip_check(handle)
        except (zipfile.BadZipFile, zlib.error, struct.error, EOFError):
            unreadable = _("The file is not a readable Excel workbook.")
            raise FileRejected(unreadable) from None
        finally:
            handle.seek(0)


def _zip_check(handle) -> None:
    limit = settings.IMPORT_MAX_EXPANDED_BYTES
    too_big = FileRejected(
        _(
            "The workbook expands to more than %(limit)s MB when opened; an "
            "import takes at most that. Save it again in Excel, or split it."
        )
        % {"limit": _megabytes(limit)}
    )
    with zipfile.ZipFile(handle) as archive:
        entries = archive.infolist()
        if len(entries) > settings.IMPORT_MAX_ZIP_ENTRIES:
            raise FileRejected(
                _(
                    "The workbook holds %(count)d parts; an import takes at most "
                    "%(limit)d."
                )
                % {"count": len(entries), "limit": settings.IMPORT_MAX_ZIP_ENTRIES}
            )
        if sum(e.file_size for e in entries) > limit:
            raise too_big
        # The sizes in the zip's directory are the sender's word: inflate
        # each entry, counting what comes out, stopping past the limit.
        total = 0
        for entry in entries:
            total += _inflated_size(handle, entry, limit - total)
            if total > limit:
                raise too_big


def _inflated_size(handle, entry: zipfile.ZipInfo, budget: int) -> int:
    """The entry's real expanded size, or anything above `budget` once it is
    passed (the rest is not inflated)."""
    handle.seek(entry.header_offset)
    local = handle.read(30)
    if local[:4] != ZIP_MAGIC:
        raise zipfile.BadZipFile
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    handle.seek(name_length + extra_length, io.SEEK_CUR)
    left = entry.compress_size
    if entry.compress_type == zipfile.ZIP_STORED:
        return left
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        raise zipfile.BadZipFile
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    while left > 0 and not inflater.eof:
        data = handle.read(min(left, 1 << 16))
        if not data:
            break
        left -= len(data)
        while data and size <= budget:
            size += len(inflater.decompress(data, budget - size + 1))
            data = inflater.unconsumed_tail
        if size > budget:
            break
    return size


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
            file_check(handle, self.size)
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
