"""Printable standard cards (A4, A5) and manuals compiled from published
standards, as PDF."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from gembahall.core import pdf

from .models import Chapter, Standard
from .queries import published_standards

CARD_SIZES = {"a4": A4, "a5": A5}
MANUAL_TITLES = {
    "resources": gettext_lazy("Site Resources Management Manual"),
    "service": gettext_lazy("Service Management Manual"),
    "safety": gettext_lazy("Safety Management Manual"),
    "social": gettext_lazy("Social Responsibility Manual"),
}


def _version_line(standard: Standard) -> str:
    version = standard.current
    return _("Version %(number)s · effective %(date)s") % {
        "number": version.number,
        "date": version.effective_from.isoformat() if version.effective_from else "—",
    }


def standard_card(standard: Standard, *, size: str, url: str) -> bytes:
    """One standard to post at a window: photo, requirements and a QR code
    linking to the online version."""
    pagesize = CARD_SIZES[size]
    width, height = pagesize
    margin = 12 * mm if size == "a5" else 18 * mm
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=str(standard),
    )
    frame = Frame(margin, margin, width - 2 * margin, height - 2 * margin, id="f")
    doc.addPageTemplates([PageTemplate(frames=[frame])])
    inner = width - 2 * margin
    header = Table(
        [
            [
                [
                    pdf.para(standard.center.name, "small"),
                    pdf.para(standard.title, "title"),
                    pdf.para(
                        f"{standard.code} · {standard.get_chapter_display()} · "
                        f"{standard.get_domain_display()}",
                        "small",
                    ),
                ],
                pdf.qr(url, 26 * mm if size == "a5" else 32 * mm),
            ]
        ],
        colWidths=[inner - 36 * mm, 36 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [header, Spacer(1, 4 * mm)]
    photo_height = height * (0.3 if size == "a5" else 0.35)
    for ref in standard.current.photos.all()[:1]:
        image = pdf.photo(ref.photo, inner, photo_height)
        if image:
            story += [image, pdf.para(ref.caption, "small"), Spacer(1, 3 * mm)]
    story.append(pdf.para(standard.current.body))
    story += [Spacer(1, 4 * mm), pdf.para(_version_line(standard), "small")]
    story.append(pdf.para(_("Scan the code for the online version."), "small"))
    doc.build(story)
    return out.getvalue()


class _ManualTemplate(BaseDocTemplate):
    def __init__(self, out, **kwargs):
        super().__init__(out, pagesize=A4, **kwargs)
        frame = Frame(20 * mm, 18 * mm, A4[0] - 40 * mm, A4[1] - 36 * mm, id="f")
        self.addPageTemplates([PageTemplate(frames=[frame], onPage=self._footer)])

    def _footer(self, canvas, doc):
        canvas.setFont(pdf.font_name(), 8)
        canvas.setFillColor(colors.HexColor("#64748b"))
        canvas.drawCentredString(A4[0] / 2, 10 * mm, str(doc.page))

    def afterFlowable(self, flowable):
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def _heading(text: str, style: str, level: int):
    paragraph = pdf.para(text, style)
    paragraph.toc_level = level
    return paragraph


def manual(center, domain: str) -> bytes:
    """A manual of one domain: cover, table of contents, then every published
    standard of the domain by GB/T 36112 chapter, with its photos."""
    out = io.BytesIO()
    title = str(MANUAL_TITLES[domain])
    doc = _ManualTemplate(out, title=title)
    toc = TableOfContents()
    font = pdf.font_name()
    toc.levelStyles = [
        pdf.styles()["body"].clone("toc0", fontName=font, fontSize=11),
        pdf.styles()["body"].clone("toc1", fontName=font, fontSize=10, leftIndent=12),
    ]
    story = [
        Spacer(1, 60 * mm),
        pdf.para(center.name, "h2"),
        pdf.para(title, "title"),
        pdf.para(
            _("Compiled %(date)s from the published standards.")
            % {"date": timezone.localdate().isoformat()},
            "small",
        ),
        PageBreak(),
        pdf.para(_("Contents"), "h1"),
        toc,
        PageBreak(),
    ]
    standards = published_standards(center).filter(domain=domain)
    chapters = dict(Chapter.choices)
    current_chapter = None
    for standard in standards:
        if standard.chapter != current_chapter:
            current_chapter = standard.chapter
            story.append(_heading(str(chapters[current_chapter]), "h1", 0))
        story.append(_heading(f"{standard.code} {standard.title}", "h2", 1))
        story.append(pdf.para(standard.current.body))
        for ref in standard.current.photos.all():
            image = pdf.photo(ref.photo, 120 * mm, 80 * mm)
            if image:
                story += [Spacer(1, 2 * mm), image, pdf.para(ref.caption, "small")]
        story += [pdf.para(_version_line(standard), "small"), Spacer(1, 4 * mm)]
    if not standards:
        story.append(pdf.para(_("No standard of this domain is published yet.")))
    doc.multiBuild(story)
    return out.getvalue()
