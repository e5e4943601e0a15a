"""An item's one-time notice (一次性告知书), printed from its current fields."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from gembahall.core import pdf

from ..models import ServiceItem


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
        *_visits_and_fee(item),
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


def _visits_and_fee(item: ServiceItem) -> list:
    """The catalogue's promise on visits and fees, where the item states them."""
    lines = []
    if item.visits is not None:
        lines.append(
            pdf.para(
                _("Visits to the hall: at most %(n)s.") % {"n": item.visits}
                if item.visits
                else _("No visit to the hall is needed.")
            )
        )
    if item.code:
        fee = _("This service is charged.") if item.fee else _("Free of charge.")
        lines.append(pdf.para(fee))
    return lines
