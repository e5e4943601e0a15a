"""Roster import: validate every row of a staff roster, then write it all or
nothing. Columns are documented in docs/roster-import.md."""

from .parse import COLUMNS, HEADERS, RosterError, RosterReport, RowError, validate_file
from .write import import_roster

__all__ = [
    "COLUMNS",
    "HEADERS",
    "RosterError",
    "RosterReport",
    "RowError",
    "import_roster",
    "validate_file",
]
