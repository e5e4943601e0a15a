"""The before/after report as PDF and as an Excel workbook."""

import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from gembahall.core import pdf
from gembahall.core.xlsx import workbook

from . import evidence_text as evidence
from .before_after import Report


def fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "pct":
        return f"{value * 100:.1f}%"
    return f"{value:.2f}"


def fmt_change(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "pct":
        return _("%(value)s pt") % {"value": f"{value * 100:+.1f}"}
    return f"{value:+.2f}"


def verdict_text(report: Report) -> str:
    if report.verdict:
        return _("双提升 achieved: service quality and efficiency both improved.")
    parts = [
        _("quality improved")
        if report.quality_up
        else _("quality not shown to improve"),
        _("efficiency improved")
        if report.efficiency_up
        else _("efficiency not shown to improve"),
    ]
    return _("双提升 not shown: %(parts)s.") % {"parts": "; ".join(parts)}


def method_text() -> str:
    return _(
        "Each KPI is a ratio of sums over the period. The change is the comparison "
        "period's value minus the baseline's. Its %(level)s confidence interval comes "
        "from a bootstrap: the window-days (one window on one day; for case KPIs, "
        "department-days) of each period are resampled with replacement 2,000 "
        "times, keeping the tickets of a window and day together; when both periods "
        "hold more than 2,000 of them, the interval comes from the delta method, "
        "which the bootstrap approaches with that many. A change is "
        "significant when the interval excludes zero. Service quality is up when "
        "at least one of satisfaction, bad reviews and one-time-notice compliance "
        "improves significantly and none worsens significantly; efficiency alike "
        "with average wait, average handling and on-time completion. 双提升 needs both."
    ) % {"level": "95%"}


def rows(report: Report):
    for c in report.changes:
        unit = c.kpi.unit
        yield [
            str(c.kpi.label),
            fmt(c.before, unit),
            fmt(c.after, unit),
            fmt_change(c.change, unit),
            f"{fmt_change(c.low, unit)} … {fmt_change(c.high, unit)}"
            if c.low is not None
            else "—",
            _("better")
            if c.improved
            else _("worse")
            if c.worsened
            else _("no sure change"),
        ]


def header():
    return [
        _("KPI"),
        _("Baseline"),
        _("Comparison"),
        _("Change"),
        _("%(level)s interval") % {"level": "95%"},
        _("Verdict"),
    ]


def report_pdf(center, report: Report) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Before/after report"),
    )
    b, c = report.baseline, report.comparison
    story = [
        pdf.para(center.name, "small"),
        pdf.para(_("Before/after report: window service and efficiency"), "title"),
        pdf.para(
            _("Baseline %(b0)s – %(b1)s; comparison %(c0)s – %(c1)s.")
            % {"b0": b[0], "b1": b[1], "c0": c[0], "c1": c[1]}
        ),
        Spacer(1, 3 * mm),
        pdf.para(verdict_text(report), "h2"),
    ]
    data = [[pdf.para(h, "cell") for h in header()]]
    data += [[pdf.para(cell, "cell") for cell in row] for row in rows(report)]
    table = Table(
        data,
        colWidths=[48 * mm, 22 * mm, 22 * mm, 22 * mm, 38 * mm, 28 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cbd5e1")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f5f9")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    if report.evidence is not None:
        story.append(
            pdf.para(_("OSM inspection scores and service, window by window"), "h2")
        )
        story += [pdf.para(text) for text in evidence.paragraphs(report.evidence)]
    story += [pdf.para(_("Method"), "h2"), pdf.para(method_text(), "small")]
    doc.build(story)
    return out.getvalue()


def _summary_rows(center, report: Report):
    yield [center.name]
    yield [_("Baseline"), str(report.baseline[0]), str(report.baseline[1])]
    yield [_("Comparison"), str(report.comparison[0]), str(report.comparison[1])]
    yield [verdict_text(report)]
    yield []
    yield [*header(), _("Window-days before"), _("Window-days after")]
    for change, row in zip(report.changes, rows(report), strict=True):
        yield [*row, change.units_before, change.units_after]
    yield []
    yield [method_text()]


def report_xlsx(center, report: Report) -> bytes:
    sheets = [(_("Before and after"), None, _summary_rows(center, report))]
    if report.evidence is not None and report.evidence.enough:
        sheets.append((_("Windows"), None, evidence.sheet_rows(report.evidence)))
    return workbook(sheets)
