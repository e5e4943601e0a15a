"""What the rollup tables hold, named once: the dimensions a ticket counts
in, the counters of each table in their stored order, and the keys that name
a staff member or a business. The deltas, the columnar import and the KPI
reads all take them from here."""

from dataclasses import dataclass
from enum import StrEnum

from ..models import Ticket


class Dimension(StrEnum):
    """The `dim` of a DayStat row: what its `key` names."""

    CENTER = "c"
    DEPARTMENT = "d"
    WINDOW = "w"  # parent: the window's department
    STAFF = "s"
    STAFF_WINDOW = "sw"  # parent: the window
    ITEM = "i"


@dataclass(frozen=True, slots=True)
class Membership:
    """How a ticket lands in one dimension, in names of TicketFact fields:
    the field whose value is the row's key (None: the one center row), the
    field stored as its parent (None: 0), and the fields a ticket must have
    set (non-zero, non-blank) to count there at all."""

    dim: Dimension
    key: str | None = None
    parent: str | None = None
    requires: tuple[str, ...] = ()


# The DayStat rows every ticket counts in, in the order they are written.
TICKET_DIMENSIONS = (
    Membership(Dimension.CENTER),
    Membership(Dimension.DEPARTMENT, "department_id", None, ("department_id",)),
    Membership(Dimension.WINDOW, "window_id", "department_id", ("window_id",)),
    Membership(Dimension.STAFF, "staff_key", None, ("staff_key",)),
    Membership(
        Dimension.STAFF_WINDOW, "staff_key", "window_id", ("staff_key", "window_id")
    ),
    Membership(Dimension.ITEM, "item_key", None, ("item_key",)),
)
_C, _D, _W = Dimension.CENTER.value, Dimension.DEPARTMENT.value, Dimension.WINDOW.value
_S, _SW, _I = Dimension.STAFF.value, Dimension.STAFF_WINDOW.value, Dimension.ITEM.value


def fact_keys(fact) -> list[tuple]:
    """The DayStat rows a ticket fact counts in, (day, dim, key, parent), as
    TICKET_DIMENSIONS lists them: written out because every ticket written
    passes here (a test holds the two equal)."""
    day, window, department = fact.day, fact.window_id, fact.department_id
    keys = [(day, _C, "", 0)]
    if department:
        keys.append((day, _D, str(department), 0))
    if window:
        keys.append((day, _W, str(window), department))
    if fact.staff_key:
        keys.append((day, _S, fact.staff_key, 0))
        if window:
            keys.append((day, _SW, fact.staff_key, window))
    if fact.item_key:
        keys.append((day, _I, fact.item_key, 0))
    return keys


# Ticket counters of a DayStat row, in stored order.
TICKET_COUNTERS = (
    "taken",
    "served",
    "no_show",
    "returned",
    "transferred",
    "waited",
    "wait_sum",
    "handled",
    "handle_sum",
)
# The counter each final status adds to (besides `taken`).
STATUS_COUNTERS = {
    Ticket.Status.SERVED: "served",
    Ticket.Status.NO_SHOW: "no_show",
    Ticket.Status.RETURNED: "returned",
    Ticket.Status.TRANSFERRED: "transferred",
}
# Counters of an HourStat row (day × hour taken), in stored order.
HOUR_COUNTERS = ("taken", "waited", "wait_sum")
# Counters of a CaseStat row (day × department × item key), in stored order.
CASE_COUNTERS = (
    "accepted",
    "completed",
    "on_time",
    "early",
    "overdue",
    "same_day",
    "compressible",
    "actual_days",
    "promised_days",
    "noticed",
    "notice_breached",
)

# Key prefixes: a staff member known as a person or only by staff number; a
# business known as a service item or only by the name an export gave it.
STAFF_PERSON = "p"
STAFF_NUMBER = "n"
ITEM_SERVICE = "i"
ITEM_NAME = "b"
ITEM_NAME_LENGTH = 120


def staff_key(staff_id, staff_no: str) -> str:
    """The key of a staff member: the person when known, else the number."""
    if staff_id:
        return f"{STAFF_PERSON}{staff_id}"
    return f"{STAFF_NUMBER}{staff_no}" if staff_no else ""


def item_key(service_item_id, name: str) -> str:
    """The key of a business: the service item when known, else the name."""
    if service_item_id:
        return f"{ITEM_SERVICE}{service_item_id}"
    return f"{ITEM_NAME}{name[:ITEM_NAME_LENGTH]}" if name else ""


def parse_staff_key(key: str) -> tuple[int | None, str]:
    """(person id, "") for a known person, else (None, the staff number)."""
    if key.startswith(STAFF_PERSON):
        return int(key[1:]), ""
    return None, key[1:]


def parse_item_key(key: str) -> tuple[int | None, str]:
    """(service item id, "") for a known item, else (None, the name)."""
    if key.startswith(ITEM_SERVICE):
        return int(key[1:]), ""
    return None, key[1:]
