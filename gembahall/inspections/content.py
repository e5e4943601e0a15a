"""Starter checklists in Chinese: window on-site, office, hall public area and
etiquette spot checks, by GB/T 36112 chapter."""

import csv
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.standards.models import Chapter, Domain, FiveS, Standard

from .models import Checklist, ChecklistItem

CONTENT = Path(__file__).parent / "content"
STARTER = [
    ("WIN", "窗口现场检查表", "window", "window.csv"),
    ("OFF", "科室检查表", "office", "office.csv"),
    ("HALL", "大厅公共区域检查表", "zone", "hall.csv"),
    ("ETQ", "服务礼仪抽查表", "window", "etiquette.csv"),
]
METHODS = {"看现场": "look", "查资料": "records", "问询": "inquiry"}
SEVERITIES = {"轻微": "minor", "一般": "general", "严重": "serious"}
FIVE_S = {"整理": "sort", "存放": "set", "清洁": "shine", "标准": "standardize"}
FIVE_S["素养"] = FiveS.SUSTAIN
DOMAINS = {"现场资源": "resources", "服务管理": "service", "安全管理": "safety"}
DOMAINS["社会责任"] = Domain.SOCIAL


def _items(checklist, path: Path, standards: dict) -> list[ChecklistItem]:
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    items = []
    for i, row in enumerate(rows, start=1):
        try:
            items.append(_item(checklist, i, row, standards))
        except (KeyError, ValueError, ArithmeticError) as error:
            raise ValidationError(
                _("%(file)s, row %(row)s: %(value)s is not a valid value.")
                % {"file": path.name, "row": i + 1, "value": error}
            ) from error
    return items


def _item(checklist, position: int, row: dict, standards: dict) -> ChecklistItem:
    return ChecklistItem(
        center=checklist.center,
        checklist=checklist,
        position=position,
        chapter=Chapter.from_number(row["chapter"]),
        section=row["section"],
        criterion=row["criterion"],
        standard=standards.get(row.get("standard") or ""),
        max_points=Decimal(row["max_points"]),
        deduction=Decimal(row["deduct_per_occurrence"]),
        cap=Decimal(row["max_points"]),
        method=METHODS[row["method"]],
        photo_required=row["photo_on_deduct"] == "yes",
        severity=SEVERITIES[row["severity"]],
        five_s=FIVE_S.get(row["five_s"], ""),
        domain=DOMAINS.get(row["domain"], ""),
    )


@transaction.atomic
def starter_checklists_load(*, center, directory: Path = CONTENT, actor=None) -> int:
    """Publish the starter checklists a center does not have yet, from the
    product's files or from a directory of files with the same names (a file
    that is not there is left out)."""
    standards = {s.code: s for s in Standard.objects.filter(center=center)}
    existing = set(
        Checklist.objects.filter(center=center).values_list("code", flat=True)
    )
    count = 0
    for code, title, target, filename in STARTER:
        path = Path(directory) / filename
        if code in existing or not path.is_file():
            continue
        checklist = Checklist.objects.create(
            center=center,
            code=code,
            title=title,
            target=target,
            state=Checklist.State.PUBLISHED,
        )
        items = ChecklistItem.objects.bulk_create(_items(checklist, path, standards))
        checklist.total_points = sum(item.max_points for item in items)
        checklist.save(update_fields=["total_points"])
        event_record(actor=actor, action="checklist.publish", target=checklist)
        count += 1
    return count
