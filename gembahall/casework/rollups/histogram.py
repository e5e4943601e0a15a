"""The stored histogram of minutes waited in a DayStat row: little-endian
unsigned 32-bit counts, minute 0 first, trailing zeros dropped."""

import sys
from array import array

import numpy as np


def histogram_counts(blob) -> array:
    """The counts of a stored histogram."""
    counts = array("I")
    counts.frombytes(bytes(blob))
    if sys.byteorder == "big":
        counts.byteswap()
    return counts


def histogram_bytes(counts: array) -> bytes:
    """Counts as stored."""
    if sys.byteorder == "big":
        counts = array("I", counts)
        counts.byteswap()
    return counts.tobytes()


def histogram_add(blob: bytes, changes: dict[int, int]) -> bytes:
    counts = histogram_counts(blob)
    top = max(changes) + 1
    if len(counts) < top:
        counts.extend([0] * (top - len(counts)))
    for minute, n in changes.items():
        counts[minute] += n
    while counts and not counts[-1]:
        counts.pop()
    return histogram_bytes(counts)


def histogram_merge(blobs) -> list[int]:
    """The sum of stored histograms, as counts by minute."""
    total: list[int] = []
    for blob in blobs:
        counts = histogram_counts(blob)
        if len(total) < len(counts):
            total.extend([0] * (len(counts) - len(total)))
        for minute, n in enumerate(counts):
            if n:
                total[minute] += n
    return total


def histogram_of(minutes) -> bytes:
    """The stored histogram of a list of whole minutes waited."""
    if not len(minutes):
        return b""
    return np.bincount(np.asarray(minutes, dtype=np.int64)).astype("<u4").tobytes()
