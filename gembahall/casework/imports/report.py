"""What an import found: counts, warnings and every bad row."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class ImportError_(Exception):  # noqa: N801 — not the builtin ImportError
    """The file cannot be read at all (encoding, format, missing columns)."""


@dataclass
class RowError:
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
class ImportReport:
    kind: str
    encoding: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_staff: dict[str, int] = field(default_factory=dict)
    unknown_business: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    accepted: bool = False

    # Errors kept in full; a report shows the first ones and counts the rest.
    SHOWN = 500

    def error(self, row: int, column: str, message, header: str = "") -> None:
        self.errors.append(RowError(row, column, str(message), header))

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "encoding": self.encoding,
            "columns": self.columns,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[: self.SHOWN]],
            "unknown_staff": self.unknown_staff,
            "unknown_business": self.unknown_business,
            "dry_run": self.dry_run,
            "accepted": self.accepted,
        }
