"""A checklist in Excel and back: the export has one row per item with its
key, so the rows of an edited workbook match the items they were; the import
shows what will change and writes the new version whole, or nothing."""

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gembahall.core.audit import event_record
from gembahall.core.imports import Column, Importer, Report, plain
from gembahall.core.models import uuid7
from gembahall.core.xlsx import workbook
from gembahall.org.models import Unit
from gembahall.standards.models import Chapter, Standard

from .content import METHODS, SEVERITIES
from .models import Checklist, ChecklistItem
from .planning import _renumber, checklist_publish, points_total_message

COLUMNS = (
    Column("key", ("项目键", "key", "item key")),
    Column("number", ("序号", "number", "no.")),
    Column("chapter", ("章节", "chapter"), required=True),
    Column("section", ("分组", "section")),
    Column("criterion", ("检查内容", "criterion"), required=True),
    Column("standard", ("标准编号", "standard")),
    Column("max_points", ("分值", "points", "max points"), required=True),
    Column("deduction", ("每处扣分", "deduction"), required=True),
    Column("cap", ("扣分上限", "cap")),
    Column("method", ("检查方式", "method")),
    Column("unit_kinds", ("适用单位", "unit kinds")),
    Column("photo_required", ("扣分需拍照", "photo")),
    Column("severity", ("严重程度", "severity")),
)
TOTAL = "合计"
YES, NO = "是", "否"
# What a row sets on an item, in the order the preview names changes.
COMPARED = (
    "chapter",
    "section",
    "criterion",
    "standard_id",
    "max_points",
    "deduction",
    "cap",
    "method",
    "unit_kinds",
    "photo_required",
    "severity",
)
SPLIT = re.compile(r"[、,，;；/\s]+")
KEY_MISSING = gettext_lazy(
    "This key is not an item of this checklist; leave it empty for a new item."
)


def _labels(choices) -> dict[str, str]:
    """Plain label (as shown in Chinese) or stored value → stored value."""
    with translation.override("zh-hans"):
        found = {plain(str(label)): value for value, label in choices}
    found.update({plain(value): value for value, _label in choices})
    return found


def _chapter_number(value: str) -> str:
    head, _dot, tail = value.partition(".")
    return f"{int(head)}" + (f".{tail}" if tail else "")


def _points(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def export_rows(checklist: Checklist) -> tuple[list[str], list[list]]:
    """The header and the rows of a checklist's workbook, the total last."""
    methods = {v: k for k, v in METHODS.items()}
    severities = {v: k for k, v in SEVERITIES.items()}
    with translation.override("zh-hans"):
        kinds = {v: str(label) for v, label in Unit.Kind.choices}
    header = [c.headers[0] for c in COLUMNS]
    rows = []
    items = checklist.items.select_related("standard").order_by("position")
    for item in items:
        rows.append(
            [
                str(item.key),
                item.position,
                _chapter_number(item.chapter),
                item.section,
                item.criterion,
                item.standard.code if item.standard else "",
                _points(item.max_points),
                _points(item.deduction),
                _points(item.cap),
                methods[item.method],
                "、".join(kinds.get(k, k) for k in item.unit_kinds),
                YES if item.photo_required else NO,
                severities[item.severity],
            ]
        )
    total = stated_total(checklist)
    rows.append(["", "", "", "", TOTAL, "", _points(total)] + [""] * 6)
    return header, rows


def checklist_workbook(checklist: Checklist) -> bytes:
    header, rows = export_rows(checklist)
    return workbook([(f"{checklist.code} v{checklist.number}", header, rows)])


def stated_total(checklist: Checklist) -> Decimal:
    if checklist.total_points is not None:
        return checklist.total_points
    return checklist.items.aggregate(total=Sum("max_points"))["total"] or Decimal(0)


@dataclass
class ItemRow:
    row: int
    key: uuid.UUID | None
    number: int
    values: dict


@dataclass
class ChecklistReport(Report):
    added: list[str] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reordered: bool = False
    total: Decimal | None = None
    total_changed: bool = False
    no_change: bool = False
    version: int | None = None
    published: bool = False


class ChecklistImporter(Importer):
    """Rows matched by item key to the checklist's newest version: a row with
    a key changes that item, a row without one adds an item, an item the file
    does not list is removed. A changed file becomes the next draft (or fills
    the open draft), published at once when asked; an unchanged file writes
    nothing."""

    columns_spec = COLUMNS
    key_field = "key"
    batch_size = None
    report_class = ChecklistReport

    def __init__(self, *, actor, checklist: Checklist, publish=False, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        self.publish = publish
        family = Checklist.objects.filter(center=checklist.center, code=checklist.code)
        self.base = family.order_by("-number").first()
        self.total_row: int | None = None
        self.total: Decimal | None = None

    def prepare(self):
        center = self.base.center
        self.base_items = {i.key: i for i in self.base.items.select_related("standard")}
        self.standards = {
            plain(s.code): s for s in Standard.objects.filter(center=center)
        }
        self.methods = _labels(ChecklistItem.Method.choices)
        self.methods.update(METHODS)
        self.severities = _labels(ChecklistItem.Severity.choices)
        self.severities.update(SEVERITIES)
        self.kinds = _labels(Unit.Kind.choices)
        self.last_row = 1
        self.item_rows = 0

    # ── rows ──

    def read(self, number, cells):
        self.last_row = number
        v = self.texts(cells)
        if not v.get("key") and TOTAL in (
            v.get("criterion"),
            v.get("chapter"),
            v.get("number"),
            v.get("section"),
        ):
            self.total_row = number
            self.total = self._decimal(number, "max_points", v["max_points"])
            return None
        self.item_rows += 1
        errors = len(self.report.errors)
        key = self._key(number, v.get("key", ""))
        base = self.base_items.get(key)
        values = {
            "chapter": self._chapter(number, v["chapter"]),
            "section": v.get("section", "")[:40],
            "criterion": v["criterion"],
            "standard_id": self._standard(number, v.get("standard", "")),
            "max_points": self._decimal(number, "max_points", v["max_points"]),
            "deduction": self._decimal(number, "deduction", v["deduction"]),
            "cap": self._decimal(number, "cap", v.get("cap", ""), required=False),
            "method": self._choice(number, "method", v.get("method"), self.methods),
            "unit_kinds": self._kinds(number, v.get("unit_kinds", "")),
            "photo_required": self._yes(number, v.get("photo_required", "")),
            "severity": self._choice(
                number, "severity", v.get("severity"), self.severities
            ),
            "five_s": base.five_s if base else "",
            "domain": base.domain if base else "",
        }
        if not values["criterion"]:
            self.error(number, "criterion", _("This column is required."))
        elif len(values["criterion"]) > 300:
            self.error(number, "criterion", _("At most 300 characters."))
        self._check_points(number, values)
        if len(self.report.errors) > errors:
            return None
        try:
            position = int(Decimal(v.get("number") or number))
        except InvalidOperation:
            position = number
        return ItemRow(number, key, position, values)

    def _key(self, number, text):
        if not text:
            return None
        try:
            key = uuid.UUID(text)
        except ValueError:
            key = None
        if key not in self.base_items:
            self.error(number, "key", KEY_MISSING)
            return None
        return key

    def _chapter(self, number, text):
        try:
            return Chapter.from_number(text.split()[0] if text else "")
        except (ValueError, IndexError):
            self.error(
                number,
                "chapter",
                _("Give a GB/T 36112 chapter: 5.1, 5.2, 5.3, 6, 7, 8, 9 or 10."),
            )
            return ""

    def _standard(self, number, text):
        if not text:
            return None
        standard = self.standards.get(plain(text))
        if standard is None:
            self.error(number, "standard", _("No standard has this code."))
            return None
        return standard.pk

    def _decimal(self, number, column, text, *, required=True):
        if not text:
            if required:
                self.error(number, column, _("This column is required."))
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not 0 <= value < 1000:
            self.error(number, column, _("Give a number from 0 to 999."))
            return None
        return value.quantize(Decimal("0.01"))

    def _choice(self, number, column, text, known):
        if not text:
            return {"method": "look", "severity": "general"}[column]
        value = known.get(plain(text))
        if value is None:
            with translation.override("zh-hans"):
                names = "、".join(sorted({str(k) for k in known if not k.isascii()}))
            self.error(number, column, _("Use one of: %(names)s.") % {"names": names})
        return value

    def _kinds(self, number, text):
        kinds = []
        for part in SPLIT.split(text):
            if not part:
                continue
            kind = self.kinds.get(plain(part))
            if kind is None:
                self.error(
                    number,
                    "unit_kinds",
                    _("“%(kind)s” is not a unit kind.") % {"kind": part},
                )
            elif kind not in kinds:
                kinds.append(kind)
        return kinds

    def _yes(self, number, text):
        value = plain(text)
        if value in ("是", "yes", "y", "1", "true", "√"):
            return True
        if value in ("", "否", "no", "n", "0", "false"):
            return False
        self.error(number, "photo_required", _("Write 是 or 否."))
        return False

    def _check_points(self, number, values):
        most, each = values["max_points"], values["deduction"]
        if most is not None and most < Decimal("0.5"):
            self.error(number, "max_points", _("At least 0.5 points."))
        if each is not None and each <= 0:
            self.error(number, "deduction", _("The deduction must be above 0."))
        if values["cap"] is None:
            values["cap"] = most
        elif most is not None and not 0 < values["cap"] <= most:
            self.error(
                number,
                "cap",
                _("The deduction cap must be above 0 and at most the max points."),
            )

    def key(self, record):
        return record.key

    def preview(self, record):
        return {
            "criterion": record.values["criterion"],
            "max_points": record.values["max_points"],
        }

    # ── the file as a whole ──

    def check(self, records):
        if self.report.errors:
            return  # the bad rows' points are not known
        total = self.total if self.total_row else stated_total(self.base)
        points = sum((r.values["max_points"] for r in records), Decimal(0))
        if total is not None and points != total:
            self.report.error(
                self.total_row or self.last_row + 1,
                "max_points",
                points_total_message(points, total),
                self.header_label("max_points"),
            )
        self.report.total = total

    def write(self, records):
        self._compare(records)
        if self.report.no_change:
            return
        self.actor.require("inspections.plan", center=self.base.center)
        target = self.base
        if target.state != Checklist.State.DRAFT:
            target = Checklist.objects.create(
                center=target.center,
                code=target.code,
                number=target.number + 1,
                title=target.title,
                target=target.target,
            )
        target.items.all().delete()
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                center=target.center,
                checklist=target,
                key=record.key or uuid7(),
                position=position,
                **record.values,
            )
            for position, record in enumerate(self._ordered(records), start=1)
        )
        _renumber(target)
        target.total_points = self.report.total
        target.save(update_fields=["total_points", "updated_at"])
        self.target = target
        self.report.version = target.number
        self.report.created = len(self.report.added)
        self.report.updated = len(self.report.changed)

    def _ordered(self, records):
        return sorted(records, key=lambda r: (r.number, r.row))

    def _compare(self, records):
        report = self.report
        keys = set()
        for record in records:
            base = self.base_items.get(record.key)
            if base is None:
                report.added.append(record.values["criterion"])
                continue
            keys.add(record.key)
            fields = [
                self.header_label(f.removesuffix("_id"))
                for f in COMPARED
                if getattr(base, f) != record.values[f]
            ]
            if fields:
                report.changed.append(
                    {"row": record.row, "criterion": base.criterion, "fields": fields}
                )
            else:
                report.unchanged += 1
        report.removed = [
            i.criterion
            for k, i in sorted(self.base_items.items(), key=lambda p: p[1].position)
            if k not in keys
        ]
        order = [r.key for r in self._ordered(records)]
        base = sorted(self.base_items.values(), key=lambda i: i.position)
        was = [i.key for i in base]
        report.reordered = not report.added and not report.removed and order != was
        report.total_changed = report.total != stated_total(self.base)
        report.no_change = not (
            report.added
            or report.changed
            or report.removed
            or report.reordered
            or report.total_changed
        )

    def summarize(self):
        if not self.item_rows and not self.report.errors:
            self.report.error(2, "criterion", _("The file lists no items."))

    def finish(self):
        if self.report.no_change:
            return
        event_record(
            actor=self.actor,
            action="checklist.import",
            target=self.target,
            after={
                "added": len(self.report.added),
                "changed": len(self.report.changed),
                "removed": len(self.report.removed),
            },
        )
        if self.publish:
            try:
                checklist_publish(actor=self.actor, checklist=self.target)
            except ValidationError as error:
                for message in error.messages:
                    self.report.error(self.last_row + 1, "", message, "")
            else:
                self.report.published = True
