"""Imports of queue tickets and cases from the exports of a center's queue
and case systems: detect the encoding, map the columns, check every row,
and write all of the file or none of it."""

from .report import ImportError_, ImportReport, RowError

__all__ = ["ImportError_", "ImportReport", "RowError"]
