"""Imports of queue tickets and cases from the exports of a center's queue
and case systems, on the import kit: its reader, header mapping, row checks
and all-or-nothing write, with the records' own keys, lookups and rollups."""

from .report import ImportReport

__all__ = ["ImportReport"]
