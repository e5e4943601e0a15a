"""Text helpers: a moment is shown on the day it fell on in the hall."""

from datetime import UTC, date, datetime

from gembahall.core.models import Event
from gembahall.core.text import local_day


def test_a_moment_shows_the_day_it_fell_on_in_the_hall():
    # 17:30 UTC on 30 November is 01:30 on 1 December in Shanghai.
    assert local_day(datetime(2026, 11, 30, 17, 30, tzinfo=UTC)) == "2026-12-01"
    assert local_day(date(2026, 11, 30)) == "2026-11-30"


def test_an_audit_event_names_its_local_time():
    event = Event(at=datetime(2026, 11, 30, 17, 30, tzinfo=UTC), action="x.y")
    assert str(event).startswith("2026-12-01 01:30 x.y")
