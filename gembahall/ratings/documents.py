"""Window cards: the window's name and number with the QR code citizens scan
to rate its service, four to an A4 page."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from gembahall.core import pdf


def _card(center, window, url):
    return [
        pdf.para(center.name, "small"),
        pdf.para(f"{window.code} {window.name}", "title"),
        pdf.para(window.department.name if window.department else "", "small"),
        Spacer(1, 3 * mm),
        pdf.qr(url, 52 * mm),
        pdf.para(_("Scan to rate our service (好差评)"), "body"),
        pdf.para(_("非常满意 · 满意 · 基本满意 · 不满意 · 非常不满意"), "small"),
    ]


def window_cards(center, windows, urls) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Rating cards"),
    )
    cards = [_card(center, w, urls[w.pk]) for w in windows]
    if not cards:
        cards = [[pdf.para(_("No windows."))]]
    rows = [cards[i : i + 2] for i in range(0, len(cards), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append("")
    table = Table(rows, colWidths=[93 * mm, 93 * mm], rowHeights=[134 * mm] * len(rows))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#94a3b8"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, -1), 8 * mm),
            ]
        )
    )
    doc.build([table])
    return out.getvalue()
