"""The month a monthly page opens on, one rule for the service dashboard, the
ranking and the bulletin."""

from datetime import date, timedelta

from django.utils.translation import gettext

# On the first days of a month its figures are a day or two of tickets and a
# window or two inspected: a page opening on them shows zeros, an empty chart
# and a league table of one. Until this many days of the month are complete,
# pages open on the last complete month instead.
MONTH_MIN_DAYS = 7


def default_month(today: date) -> date:
    """The first day of the month a page shows when none is asked for."""
    first = today.replace(day=1)
    if today.day > MONTH_MIN_DAYS:
        return first
    return (first - timedelta(days=1)).replace(day=1)


def default_month_rule() -> str:
    """The rule above, in the words a page states it."""
    return gettext(
        "Opens on the last complete month until the current month has %(days)d "
        "days of data."
    ) % {"days": MONTH_MIN_DAYS}
