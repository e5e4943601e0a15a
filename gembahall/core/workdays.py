"""The working-day calendar: public holidays and adjusted working days (调休).

Known years come from official announcements or the OSM office; beyond them
Monday to Friday count and results are marked provisional. The start day never
counts, and a deadline is the end of its local day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic

from django.utils import timezone

from .models import CalendarDay, CalendarYear


@dataclass(frozen=True)
class WorkdayResult:
    date: date
    provisional: bool


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    provisional: bool


# Per-process cache of each year's exceptions; kept short so an edit made in
# another worker process shows within a minute.
_CACHE_SECONDS = 60
_cache: dict[int, tuple[float, bool, dict[date, bool]]] = {}


def _year(year: int) -> tuple[bool, dict[date, bool]]:
    now = monotonic()
    hit = _cache.get(year)
    if hit is None or now - hit[0] > _CACHE_SECONDS:
        known = CalendarYear.objects.filter(year=year).exists()
        days = dict(
            CalendarDay.objects.filter(date__year=year).values_list(
                "date", "is_workday"
            )
        )
        hit = _cache[year] = (now, known, days)
    return hit[1], hit[2]


def clear_cache() -> None:
    _cache.clear()


def is_known_year(year: int) -> bool:
    return _year(year)[0]


def is_working_day(day: date) -> bool:
    _known, days = _year(day.year)
    if day in days:
        return days[day]
    return day.weekday() < 5


def add_working_days(start: date, n: int) -> WorkdayResult:
    """The date n working days after start (start itself does not count)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, counted, provisional = start, 0, not is_known_year(start.year)
    while counted < n:
        day += timedelta(days=1)
        provisional = provisional or not is_known_year(day.year)
        if is_working_day(day):
            counted += 1
    return WorkdayResult(day, provisional)


def working_days_between(start: date, end: date) -> WorkdayCount:
    """Working days after start up to and including end (negative when end is
    before start)."""
    if end < start:
        result = working_days_between(end, start)
        return WorkdayCount(-result.days, result.provisional)
    count, day = 0, start
    provisional = not is_known_year(start.year)
    while day < end:
        day += timedelta(days=1)
        provisional = provisional or not is_known_year(day.year)
        count += is_working_day(day)
    return WorkdayCount(count, provisional)


def deadline_end(day: date) -> datetime:
    """The last moment of a local day: deadlines fall due at its end."""
    tz = timezone.get_current_timezone()
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz) - timedelta(
        microseconds=1
    )


def local_today() -> date:
    return timezone.localdate()
