"""Reading a catalogue row's cells: handling types, time limits in the units
provinces write them in, materials lists and yes/no answers."""

import math
import re

from django.utils.translation import gettext as _

from ..models import ServiceItem

HANDLING = {
    "即办件": ServiceItem.Handling.IMMEDIATE,
    "即办": ServiceItem.Handling.IMMEDIATE,
    "承诺件": ServiceItem.Handling.PROMISED,
    "承诺办结件": ServiceItem.Handling.PROMISED,
    "联办件": ServiceItem.Handling.JOINT,
    "上报件": ServiceItem.Handling.FORWARDED,
}
# Short names centers use for departments whose full names differ.
ALIASES = {
    "医保局": "医疗保障局",
    "公积金中心": "住房公积金中心",
    "住建局": "住房和城乡建设局",
    "自然资源局": "自然资源和规划局",
    "发改局": "发展和改革局",
}
# Limits are kept in working days. A calendar week has five working days;
# a month counts as 30 calendar days, an hour as an eighth of a working day.
WORKING, CALENDAR, MONTHS, HOURS = "working", "calendar", "months", "hours"
UNITS = {
    "": WORKING,
    "工作日": WORKING,
    "个工作日": WORKING,
    "自然日": CALENDAR,
    "个自然日": CALENDAR,
    "日": CALENDAR,
    "天": CALENDAR,
    "月": MONTHS,
    "个月": MONTHS,
    "小时": HOURS,
    "个小时": HOURS,
}
YES = {"是", "收费", "y", "yes", "1"}
NO = {"否", "不收费", "免费", "n", "no", "0", ""}
MATERIALS = re.compile(r"[；;\n]+")


class CellError(ValueError):
    """A cell that cannot be read; the message names what was expected."""


def handling_read(text: str) -> str:
    handling = HANDLING.get(text.strip())
    if handling is None:
        raise CellError(
            _("unknown handling type “%(value)s”; expected %(known)s")
            % {"value": text, "known": "即办件, 承诺件, 联办件, 上报件"}
        )
    return handling


def whole_number(text: str) -> int | None:
    """A non-negative whole number (Excel's “15.0” too); None for an empty cell."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a whole number") % {"value": text}
        ) from None
    if value < 0 or not value.is_integer():
        raise CellError(_("“%(value)s” is not a whole number") % {"value": text})
    return int(value)


def unit_read(text: str) -> str:
    unit = UNITS.get(text.strip())
    if unit is None:
        raise CellError(
            _("unknown time unit “%(value)s”; expected %(known)s")
            % {"value": text, "known": "工作日, 自然日, 个月, 小时"}
        )
    return unit


def working_days(amount: int | None, unit: str) -> int:
    """A limit in working days, rounded up."""
    if not amount:
        return 0
    if unit == CALENDAR:
        return math.ceil(amount * 5 / 7)
    if unit == MONTHS:
        return math.ceil(amount * 30 * 5 / 7)
    if unit == HOURS:
        return math.ceil(amount / 8)
    return amount


def materials_split(text: str) -> list[str]:
    """申请材料 as the catalogue lists them, split at semicolons of either
    width or line breaks."""
    return [m.strip() for m in MATERIALS.split(text) if m.strip()]


def yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(_("“%(value)s” is neither 是 nor 否") % {"value": text})
