"""Roster import on the import kit: check every row of a staff roster, then
write it all or nothing. Columns are documented in docs/roster-import.md."""

from .parse import HEADERS, ROSTER_COLUMNS, RosterReport
from .write import import_roster

__all__ = ["HEADERS", "ROSTER_COLUMNS", "RosterReport", "import_roster"]
