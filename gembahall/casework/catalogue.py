"""The service catalogue: loading items from a CSV (department, item,
handling type, statutory and promised limits, materials) and printing an
item's one-time notice (一次性告知书)."""

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from gembahall.core import pdf
from gembahall.core.audit import event_record
from gembahall.org.models import Department

from .models import ServiceItem

STARTER = Path(__file__).parent / "content" / "service_items.csv"
HANDLING = {
    "即办件": ServiceItem.Handling.IMMEDIATE,
    "承诺件": ServiceItem.Handling.PROMISED,
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


@transaction.atomic
def catalogue_load(*, actor, center, path: Path = STARTER) -> dict:
    """Create or update the center's items from the CSV; every bad row is
    reported and nothing is written when there is one. Items of departments
    not stationed in this center are skipped and listed."""
    departments = {d.name: d for d in Department.objects.filter(center=center)}
    errors, rows, skipped = [], [], []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            name = (row.get("department") or "").strip()
            department = departments.get(name) or departments.get(ALIASES.get(name, ""))
            handling = HANDLING.get((row.get("handling_type") or "").strip())
            try:
                statutory = int(row.get("statutory_days") or 0)
                promised = int(row.get("promised_days") or 0)
            except ValueError:
                statutory = promised = -1
            if department is None:
                skipped.append(name)
            elif handling is None:
                errors.append(_("row %(row)s: unknown handling type") % {"row": number})
            elif statutory < 0 or promised < 0 or (statutory and promised > statutory):
                errors.append(
                    _(
                        "row %(row)s: the promised limit must be a whole number "
                        "within the statutory one"
                    )
                    % {"row": number}
                )
            else:
                rows.append((department, row, handling, statutory, promised))
    if errors:
        raise ValidationError(errors)
    created = 0
    for department, row, handling, statutory, promised in rows:
        _item, new = ServiceItem.objects.update_or_create(
            center=center,
            department=department,
            name=row["item"].strip(),
            defaults={
                "handling": handling,
                "statutory_days": statutory,
                "promised_days": promised,
                "materials": [
                    m.strip()
                    for m in (row.get("materials") or "").split(";")
                    if m.strip()
                ],
            },
        )
        created += new
    event_record(
        actor=actor,
        action="catalogue.load",
        center_id=center.pk,
        target_type="casework.serviceitem",
        target_repr=center.name,
        after={"items": len(rows), "created": created},
    )
    return {"items": len(rows), "created": created, "skipped": sorted(set(skipped))}


def notice_pdf(item: ServiceItem) -> bytes:
    """一次性告知书: everything the citizen must bring, on one page."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=str(item),
    )
    story = [
        pdf.para(item.center.name, "small"),
        pdf.para(_("One-time notice (一次性告知书)"), "title"),
        pdf.para(f"{item.department.name} · {item.name}", "h1"),
        pdf.para(
            _(
                "Handling: %(handling)s. Statutory limit %(statutory)s working days; "
                "we promise %(promised)s."
            )
            % {
                "handling": item.get_handling_display(),
                "statutory": item.statutory_days,
                "promised": item.promised_days,
            }
        ),
        Spacer(1, 4 * mm),
        pdf.para(_("Materials to bring"), "h2"),
    ]
    data = [
        [
            pdf.para(_("No."), "cell"),
            pdf.para(_("Material"), "cell"),
            pdf.para(_("Copies"), "cell"),
        ]
    ]
    data += [
        [pdf.para(str(n), "cell"), pdf.para(m, "cell"), pdf.para(_("original"), "cell")]
        for n, m in enumerate(item.materials, start=1)
    ]
    table = Table(data, colWidths=[15 * mm, 120 * mm, 30 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#94a3b8")]))
    story.append(table)
    joint = list(item.joint_departments.all())
    if joint:
        names = "、".join(d.name for d in joint)
        story += [
            Spacer(1, 3 * mm),
            pdf.para(_("Joint handling with: %(names)s") % {"names": names}),
        ]
    if item.agent_service:
        story.append(pdf.para(_("Agent service (代办) is offered free of charge.")))
    story += [
        Spacer(1, 6 * mm),
        pdf.para(
            _(
                "This notice lists every material at once (一次性告知). If we ask you "
                "for anything not listed here, please tell the center's supervision "
                "office."
            ),
            "small",
        ),
    ]
    doc.build(story)
    return out.getvalue()
