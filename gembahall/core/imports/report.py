"""What an import found: the rows read, what was written, the first rows as
they will be written, and every bad row by its row and column."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class FileRejected(Exception):
    """The file cannot be imported at all: not readable, empty, in an unknown
    encoding, or without a column the import needs."""


@dataclass
class RowError:
    """One bad cell: the row as the spreadsheet numbers it (the header is row
    1), the field and the column's header as the file names it."""

    row: int
    column: str
    message: str
    header: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header or self.column,
            "message": str(self.message),
        }

    def __str__(self) -> str:
        return _("row %(row)s, column %(header)s: %(message)s") % {
            "row": self.row,
            "header": self.header or self.column,
            "message": self.message,
        }


@dataclass
class Report:
    """Counts of one run; an import adds its own (warnings, counts by kind)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    encoding: str = ""
    dry_run: bool = False
    accepted: bool = False

    # Errors are kept in full; a page shows the first ones and counts the rest.
    SHOWN = 500

    def error(self, row: int, column: str, message, header: str = "") -> None:
        self.errors.append(RowError(row, column, str(message), header))

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[: self.SHOWN]],
            "preview": self.preview,
            "encoding": self.encoding,
            "dry_run": self.dry_run,
            "accepted": self.accepted,
        }
