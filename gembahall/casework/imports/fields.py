"""Fields of the imports: the headers centers' exports use, the date forms
they write, and the status words of queue and case systems."""

import re
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy

from gembahall.core.imports import Column

FIELD_LABELS = {
    "ticket_no": gettext_lazy("ticket number"),
    "business": gettext_lazy("business type"),
    "window": gettext_lazy("window"),
    "staff_no": gettext_lazy("staff number"),
    "taken_at": gettext_lazy("taken at"),
    "called_at": gettext_lazy("called at"),
    "started_at": gettext_lazy("started at"),
    "finished_at": gettext_lazy("finished at"),
    "status": gettext_lazy("status"),
    "case_no": gettext_lazy("case number"),
    "item": gettext_lazy("service item"),
    "accepted_at": gettext_lazy("accepted at"),
    "deadline": gettext_lazy("deadline"),
    "completed_at": gettext_lazy("completed at"),
    "outcome": gettext_lazy("outcome"),
    "agent_no": gettext_lazy("agent"),
    "notices": gettext_lazy("materials requests"),
}


def _columns(headers: dict, required: tuple) -> tuple[Column, ...]:
    return tuple(
        Column(field, names, FIELD_LABELS[field], field in required)
        for field, names in headers.items()
    )


# Field → the headers exports use for it.
TICKET_COLUMNS = _columns(
    {
        "ticket_no": ("票号", "排队号", "排队号码", "取号号码", "号码", "ticket_no"),
        "business": ("业务类型", "业务名称", "办理业务", "business"),
        "window": ("窗口号", "窗口", "窗口编号", "办理窗口", "window"),
        "staff_no": ("工号", "员工工号", "办理人工号", "staff_no"),
        "taken_at": ("取号时间", "taken_at"),
        "called_at": ("叫号时间", "首次叫号时间", "called_at"),
        "started_at": ("开始办理时间", "开始时间", "受理时间", "started_at"),
        "finished_at": ("办结时间", "结束时间", "完成时间", "finished_at"),
        "status": ("状态", "办理状态", "status"),
    },
    required=("ticket_no", "taken_at"),
)
CASE_COLUMNS = _columns(
    {
        "case_no": ("办件编号", "受理编号", "申报号", "办件号", "case_no"),
        "item": ("事项名称", "办理事项", "事项", "item"),
        "window": ("窗口号", "受理窗口", "窗口", "window"),
        "accepted_at": ("受理时间", "accepted_at"),
        "deadline": ("承诺办结日期", "办结期限", "deadline"),
        "completed_at": ("办结时间", "完成时间", "completed_at"),
        "outcome": ("办理结果", "办件状态", "状态", "outcome"),
        "ticket_no": ("排队号", "票号", "ticket_no"),
        "agent_no": ("代办员工号", "代办员", "agent_no"),
        "notices": ("补正次数", "notices"),
    },
    required=("case_no", "item", "accepted_at"),
)
# A file without a required column: the source's mapping can name it.
MISSING_COLUMNS = gettext_lazy(
    "The file has no column for: %(fields)s. Map them to the file's headers."
)

TICKET_STATUS_WORDS = {
    "办结": "served",
    "已办结": "served",
    "已完成": "served",
    "完成": "served",
    "已办理": "served",
    "served": "served",
    "过号": "no_show",
    "弃号": "no_show",
    "未到": "no_show",
    "no_show": "no_show",
    "no-show": "no_show",
    "退办": "returned",
    "退件": "returned",
    "returned": "returned",
    "转办": "transferred",
    "转窗": "transferred",
    "transferred": "transferred",
    "等候": "",
    "等待": "",
    "waiting": "",
}
CASE_OUTCOME_WORDS = {
    "办结": "completed",
    "已办结": "completed",
    "completed": "completed",
    "补正": "correction",
    "补齐补正": "correction",
    "correction": "correction",
    "退件": "returned",
    "returned": "returned",
    "不予受理": "rejected",
    "rejected": "rejected",
    "在办": "",
    "受理": "",
    "已受理": "",
}


EXCEL_EPOCH = datetime(1899, 12, 30)
SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
CHINESE = re.compile(
    r"^(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:时]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$"
)


class BadDate(ValueError):
    pass


def parse_datetime(value) -> datetime | None:
    """A naive local datetime from a cell, to the second; None when empty.
    Excel serial numbers, ISO text, 2026/3/5 9:01 and 2026年3月5日 9:01."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, int | float):
        return _serial(float(value))
    text = str(value).strip()
    if not text:
        return None
    try:
        result = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if result.tzinfo is not None:
            raise BadDate(text)
        return result.replace(microsecond=0)
    match = CHINESE.match(text)
    if match:
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
        try:
            return datetime(y, mo, d, h, mi, s)
        except ValueError:
            raise BadDate(text) from None
    if SERIAL.match(text):
        return _serial(float(text))
    raise BadDate(text)


def _serial(number: float) -> datetime:
    if not 1 <= number < 2958466:
        raise BadDate(str(number))
    result = EXCEL_EPOCH + timedelta(days=number)
    # Round to the second (serials carry float noise).
    return (result + timedelta(microseconds=500_000)).replace(microsecond=0)
