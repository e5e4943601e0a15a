"""Loading a center's service items from a province's catalogue export (or the
starter list in the same spirit) through the import kit: every row checked,
all of the file or none of it. A later export updates items by 事项编码 and
ends the coded items it no longer lists; nothing is deleted."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.imports import Column, Importer, Report
from gembahall.org.models import Department

from ..models import ServiceItem
from .limits import (
    ALIASES,
    CellError,
    handling_read,
    materials_split,
    unit_read,
    whole_number,
    working_days,
    yes_no,
)

STARTER = Path(__file__).resolve().parent.parent / "content" / "service_items.csv"
# The fields an import sets; everything else (joint departments, agent
# service) stays as the center set it.
FIELDS = (
    "name",
    "department_id",
    "handling",
    "statutory_days",
    "promised_days",
    "materials",
    "code",
    "implementation_code",
    "category",
    "visits",
    "fee",
    "online_depth",
)


@dataclass
class CatalogueReport(Report):
    """The kit's report with the items to end and the departments not
    stationed at the center, whose items were left out."""

    ended: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "ended": self.ended, "skipped": self.skipped}


@dataclass
class Entry:
    row: int
    values: dict
    department: Department
    item: ServiceItem | None = None  # the item it updates

    @property
    def change(self) -> str:
        if self.item is None:
            return "new"
        same = all(getattr(self.item, f) == v for f, v in self.values.items())
        return "unchanged" if same and self.item.ended_on is None else "updated"


class CatalogueImporter(Importer):
    """One catalogue file into one center's service items. `end_missing`
    ends the coded items the file does not list (a full export)."""

    columns_spec = (
        Column("code", ("事项编码", "基本编码", "code")),
        Column("implementation_code", ("实施编码", "业务办理项编码")),
        Column("name", ("事项名称", "item", "name"), required=True),
        Column("category", ("事项类型",)),
        Column("department", ("实施主体", "实施机构", "department"), required=True),
        Column("handling", ("办件类型", "handling_type"), required=True),
        Column("statutory", ("法定办结时限", "法定时限", "statutory_days")),
        Column("statutory_unit", ("法定时限单位", "法定办结时限单位")),
        Column("promised", ("承诺办结时限", "承诺时限", "promised_days")),
        Column("promised_unit", ("承诺时限单位", "承诺办结时限单位")),
        Column("materials", ("申请材料", "materials")),
        Column("visits", ("到办事现场次数", "到现场次数")),
        Column("fee", ("是否收费",)),
        Column("online_depth", ("网上办理深度",)),
    )
    key_field = "name"
    batch_size = None
    report_class = CatalogueReport

    def __init__(self, *, center, path: Path, actor=None, end_missing=True, **kw):
        super().__init__(path=path, **kw)
        self.center = center
        self.actor = actor
        self.end_missing = end_missing
        self.codes: dict[str, int] = {}

    def prepare(self) -> None:
        self.departments = {
            d.name: d for d in Department.objects.filter(center=self.center)
        }
        items = list(ServiceItem.objects.filter(center=self.center))
        self.by_code = {i.code: i for i in items if i.code}
        self.by_name = {(i.department_id, i.name): i for i in items}

    def department(self, name: str) -> Department | None:
        return self.departments.get(name) or self.departments.get(ALIASES.get(name, ""))

    def read(self, number: int, cells: list) -> Entry | None:
        v = self.texts(cells)
        values, bad = {}, False
        for field_name, reader in (
            ("handling", handling_read),
            ("statutory", whole_number),
            ("statutory_unit", unit_read),
            ("promised", whole_number),
            ("promised_unit", unit_read),
            ("visits", whole_number),
            ("fee", yes_no),
        ):
            try:
                values[field_name] = reader(v.get(field_name, ""))
            except CellError as error:
                self.error(number, field_name, str(error))
                bad = True
        if not v["name"]:
            self.error(number, "name", _("This column is required."))
            bad = True
        code = v.get("code", "")
        if code and code in self.codes:
            self.error(
                number,
                "code",
                _("the same record is already in row %(row)s")
                % {"row": self.codes[code]},
            )
            bad = True
        if bad:
            return None
        if code:
            self.codes[code] = number
        department = self.department(v["department"])
        if department is None:
            name = v["department"] or "—"
            self.report.skipped[name] = self.report.skipped.get(name, 0) + 1
            return None
        statutory = working_days(values["statutory"], values["statutory_unit"])
        promised = working_days(values["promised"], values["promised_unit"])
        if statutory and promised > statutory:
            self.error(
                number,
                "promised",
                _("the promised limit (%(promised)s) exceeds the statutory one")
                % {"promised": promised},
            )
            return None
        entry = Entry(
            row=number,
            department=department,
            values={
                "name": v["name"][:120],
                "department_id": department.pk,
                "handling": values["handling"],
                "statutory_days": statutory,
                "promised_days": promised,
                "materials": materials_split(v.get("materials", "")),
                "code": code,
                "implementation_code": v.get("implementation_code", ""),
                "category": v.get("category", ""),
                "visits": values["visits"],
                "fee": values["fee"],
                "online_depth": v.get("online_depth", ""),
            },
        )
        entry.item = (self.by_code.get(code) if code else None) or self.by_name.get(
            (department.pk, entry.values["name"])
        )
        if entry.item is not None and entry.item.code and not code:
            # A file without codes keeps the codes items already have.
            entry.values["code"] = entry.item.code
        return entry

    def key(self, entry: Entry):
        return (entry.department.pk, entry.values["name"])

    def preview(self, entry: Entry) -> dict:
        values = entry.values
        return {
            "code": values["code"],
            "name": values["name"],
            "department": entry.department.name,
            "handling": values["handling"],
            "statutory_days": values["statutory_days"],
            "promised_days": values["promised_days"],
            "materials": len(values["materials"]),
            "change": entry.change,
        }

    def check(self, entries: list[Entry]) -> None:
        """A renamed item may not take the name another item keeps."""
        moving = {e.item.pk for e in entries if e.item is not None}
        for entry in entries:
            other = self.by_name.get((entry.department.pk, entry.values["name"]))
            mine = entry.item.pk if entry.item else None
            if other is not None and other.pk != mine and other.pk not in moving:
                self.error(
                    entry.row,
                    "name",
                    _("another item of this department already has this name"),
                )

    def write(self, entries: list[Entry]) -> None:
        self.listed = set()
        for entry in entries:
            change = entry.change
            if entry.item is None:
                item = ServiceItem.objects.create(center=self.center, **entry.values)
                self.report.created += 1
            else:
                item = entry.item
                if change == "updated":
                    for name, value in entry.values.items():
                        setattr(item, name, value)
                    item.active, item.ended_on = True, None
                    item.save()
                    self.report.updated += 1
                else:
                    self.report.unchanged += 1
            self.listed.add(item.pk)

    def summarize(self) -> None:
        if not self.end_missing or self.report.errors:
            return
        listed = getattr(self, "listed", set())
        self.ending = [
            i
            for i in self.by_code.values()
            if i.ended_on is None and i.pk not in listed
        ]
        self.report.ended = sorted(f"{i.code} {i.name}" for i in self.ending)

    def finish(self) -> None:
        for item in getattr(self, "ending", []):
            item.active, item.ended_on = False, timezone.localdate()
            item.save(update_fields=["active", "ended_on", "updated_at"])
        event_record(
            actor=self.actor,
            action="catalogue.import",
            center_id=self.center.pk,
            target_type="casework.serviceitem",
            target_repr=self.center.name,
            after={
                "file": self.path.name,
                "rows": self.report.rows,
                "created": self.report.created,
                "updated": self.report.updated,
                "unchanged": self.report.unchanged,
                "ended": len(self.report.ended),
            },
        )


def catalogue_import(*, actor, center, path: Path, dry_run=False, progress=None):
    """Import a province's catalogue export: the report names every bad row,
    and a file with one writes nothing."""
    if actor is not None:
        actor.require("service.catalogue", center=center)
    return CatalogueImporter(
        actor=actor, center=center, path=path, dry_run=dry_run, progress=progress
    ).run()


def catalogue_load(*, actor, center, path: Path = STARTER) -> dict:
    """Create or update the center's items from a catalogue file, ending none
    (the starter list, or a center's own). Bad rows raise ValidationError and
    nothing is written; items of departments not stationed at the center are
    skipped and listed."""
    report = CatalogueImporter(
        actor=actor, center=center, path=path, end_missing=False
    ).run()
    if report.errors:
        raise ValidationError([str(e) for e in report.errors])
    return {
        "items": report.created + report.updated + report.unchanged,
        "created": report.created,
        "skipped": sorted(report.skipped),
    }
