"""Excel exports whose cells are written safely: text from users stays text."""

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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


def workbook(sheets: Iterable[tuple[str, list, Iterable[Iterable]]]) -> bytes:
    """An .xlsx file of (title, header, rows) sheets, streamed row by row so
    that a long export never sits in memory as cells."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append([safe_cell(sheet, str(h)) for h in header])
        for row in rows:
            sheet.append([safe_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
