import csv
import io

import pytest
from openpyxl import Workbook

from gembahall.casework.models import ServiceItem


@pytest.fixture(autouse=True)
def _english():
    """Import messages are asserted in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def hall(hall):
    hall.item = ServiceItem.objects.create(
        center=hall.center,
        department=hall.dept,
        name="企业设立登记",
        handling="promised",
        statutory_days=15,
        promised_days=1,
    )
    return hall


HEADER = [
    "票号",
    "业务类型",
    "窗口号",
    "工号",
    "取号时间",
    "叫号时间",
    "开始办理时间",
    "办结时间",
    "状态",
]


def write_csv(path, rows, *, header=HEADER, encoding="utf-8"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows, *, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def ticket_rows(n, *, staff="", day="2026-03-05", finish_minute=20):
    """n served tickets at A01 on one day, a minute apart."""
    rows = []
    for i in range(n):
        hour, minute = 9 + i // 60, i % 60
        rows.append(
            [
                f"A{i:04d}",
                "企业设立登记",
                "A01",
                staff,
                f"{day} {hour:02d}:{minute:02d}:00",
                f"{day} {hour:02d}:{minute:02d}:30",
                f"{day} {hour:02d}:{minute:02d}:40",
                f"{day} {hour + 1:02d}:{finish_minute:02d}:00",
                "办结",
            ]
        )
    return rows
