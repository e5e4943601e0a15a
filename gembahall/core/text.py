"""Small text helpers shared by the apps."""

from datetime import date, datetime

from django.utils import timezone


def mask_phone(phone: str) -> str:
    """A phone number as staff see it: the first three and last four digits."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def local_day(value: datetime | date) -> str:
    """The day a moment fell on in the hall's time zone, as every page shows
    it (2026-12-01): a stored datetime is UTC, and its own date would be the
    day before for anything between midnight and 08:00 in Shanghai."""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return value.isoformat()
