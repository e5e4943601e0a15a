"""Spreadsheet exports (Excel and CSV) whose cells are written safely: text
from users stays text. Every export of the product writes through here and
answers through xlsx_response or csv_response; tests/core/test_exports.py
finds the exports by those calls and opens each one."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Text starting with these is read by spreadsheet programs as a formula (or
# a DDE call), so a name or note typed into the app could run in the
# reader's Excel. Such cells are written as text and marked to stay text
# when edited.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(sheet, value):
    """The value as the sheet should hold it: text that looks like a formula
    becomes a text cell; anything else is written as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def safe_text(value):
    """A CSV cell: CSV has no types, so text that looks like a formula gets
    the leading apostrophe spreadsheet programs read as "this is text"."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def workbook(sheets: Iterable[tuple[str, list | None, Iterable[Iterable]]]) -> bytes:
    """An .xlsx file of (title, header, rows) sheets, streamed row by row so
    that a long export never sits in memory as cells. A header of None
    writes none (a sheet of free rows)."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(str(title)[:31])
        if header is not None:
            sheet.append([safe_cell(sheet, str(h)) for h in header])
        for row in rows:
            sheet.append([safe_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(header: list, rows: Iterable[Iterable]) -> bytes:
    """A CSV file in UTF-8 with a BOM (so that Excel reads the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_text(str(h)) for h in header])
    for row in rows:
        writer.writerow([safe_text(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(body: bytes, filename: str) -> HttpResponse:
    """An Excel export as a download; `body` comes from workbook()."""
    return _download(body, XLSX, filename)


def csv_response(body: bytes, filename: str) -> HttpResponse:
    """A CSV export as a download; `body` comes from csv_text()."""
    return _download(body, "text/csv; charset=utf-8", filename)
