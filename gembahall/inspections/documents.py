"""The monthly bulletin (检查通报) as PDF and all item results of a period as
an Excel workbook."""

import io
from datetime import date

from django.db.models import Avg, Count, Sum
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from gembahall.core import pdf
from gembahall.core.xlsx import workbook
from gembahall.rectification.models import Problem

from . import queries
from .models import Inspection, ItemResult

TABLE_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#94a3b8")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)


def _table(header: list[str], rows: list[list], widths=None) -> Table:
    data = [[pdf.para(h, "cell") for h in header]]
    data += [[pdf.para(c, "cell") for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TABLE_STYLE)
    return table


def _score(value, places: int = 1) -> str:
    # Rounded as the pages round it, so the bulletin and the ranking page
    # never show one window two different scores.
    return floatformat(value, places) if value is not None else "—"


def bulletin_data(center, year: int, month: int) -> dict:
    start, end = queries.month_bounds(year, month)
    month_inspections = (
        Inspection.objects.official()
        .final()
        .filter(center=center, inspected_on__range=(start, end))
    )
    summary = month_inspections.aggregate(
        count=Count("id"),
        units=Count("unit", distinct=True),
        average=Avg("score"),
        deductions=Sum("deduction_count"),
    )
    deducted = ItemResult.objects.filter(
        inspection__in=month_inspections, outcome=ItemResult.Outcome.DEDUCT
    )
    typical = list(
        deducted.values("item__criterion", "item__chapter")
        .annotate(count=Count("id"))
        .order_by("-count", "item__criterion")[:6]
    )
    samples = {}
    for result in (
        deducted.filter(
            item__criterion__in=[t["item__criterion"] for t in typical],
            photos__isnull=False,
        )
        .select_related("item")
        .prefetch_related("photos")
        .order_by("-inspection__inspected_on")[:60]
    ):
        samples.setdefault(result.item.criterion, result.photos.all()[0])
    for row in typical:
        row["photo"] = samples.get(row["item__criterion"])
    repeats = list(
        deducted.filter(is_repeat=True)
        .values("inspection__unit_label", "item__criterion", "inspection__inspected_on")
        .order_by("inspection__unit_label")[:40]
    )
    return {
        "start": start,
        "end": end,
        "summary": summary,
        "open_problems": Problem.objects.filter(center=center).not_closed().count(),
        "ranking": queries.ranking(center, start=start, end=end),
        "typical": typical,
        "repeats": repeats,
    }


def bulletin(center, year: int, month: int) -> bytes:
    data = bulletin_data(center, year, month)
    out = io.BytesIO()
    title = _("Inspection bulletin %(year)d-%(month)02d") % {
        "year": year,
        "month": month,
    }
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{center.name} {title}",
    )
    s = data["summary"]
    story = [
        pdf.para(center.name, "h2"),
        pdf.para(title, "title"),
        pdf.para(_("1. Summary"), "h1"),
        pdf.para(
            _(
                "From %(start)s to %(end)s the OSM office made %(count)d official "
                "inspections of %(units)d units; the average score was %(average)s "
                "with %(deductions)d deductions. %(open)d problems are still open."
            )
            % {
                "start": data["start"],
                "end": data["end"],
                "count": s["count"],
                "units": s["units"],
                "average": _score(s["average"]),
                "deductions": s["deductions"] or 0,
                "open": data["open_problems"],
            }
        ),
    ]
    story += _ranking_section(data["ranking"])
    story += _typical_section(data["typical"])
    story.append(pdf.para(_("5. Repeat problems"), "h1"))
    if data["repeats"]:
        story.append(
            _table(
                [_("Unit"), _("Item"), _("Date")],
                [
                    [
                        r["inspection__unit_label"],
                        r["item__criterion"],
                        r["inspection__inspected_on"].isoformat(),
                    ]
                    for r in data["repeats"]
                ],
                widths=[45 * mm, 100 * mm, 25 * mm],
            )
        )
    else:
        story.append(pdf.para(_("No unfixed problem was found again this month.")))
    doc.build(story)
    return out.getvalue()


def _ranking_section(ranking) -> list:
    story = [pdf.para(_("2. Window ranking"), "h1")]
    header = [_("Place"), _("Window"), _("Department"), _("Score"), _("Checks")]
    rows = [
        [
            r["place"],
            f"{r['unit__code']} {r['unit__name']}",
            r["unit__department__name"] or "",
            _score(r["score"], 2),
            r["inspections"],
        ]
        for r in ranking["windows"]
    ]
    if rows:
        story.append(
            _table(header, rows, widths=[14 * mm, 60 * mm, 60 * mm, 18 * mm, 18 * mm])
        )
    else:
        story.append(pdf.para(_("No window was inspected this month.")))
    story.append(pdf.para(_("3. Red list and black list"), "h1"))
    story.append(pdf.para(list_rule(ranking)))
    for label, rows in (
        (_("Red list (top)"), ranking["top"]),
        (_("Black list (bottom)"), ranking["bottom"]),
    ):
        names = (
            "、".join(
                _("No. %(place)s %(window)s (%(score)s)")
                % {
                    "place": r["place"],
                    "window": f"{r['unit__code']} {r['unit__name']}",
                    "score": _score(r["score"], 2),
                }
                for r in rows
            )
            or "—"
        )
        story.append(pdf.para(f"{label}：{names}"))
    if ranking["offices"]:
        story.append(pdf.para(_("Leadership and offices"), "h2"))
        story.append(
            _table(
                [_("Unit"), _("Score"), _("Checks")],
                [
                    [r["unit__name"], _score(r["score"]), r["inspections"]]
                    for r in ranking["offices"]
                ],
                widths=[110 * mm, 30 * mm, 30 * mm],
            )
        )
    return story


def list_rule(ranking) -> str:
    """How the red and black lists are drawn, as the page and the bulletin
    state it."""
    return ngettext(
        "The %(size)d best windows go on the red list and the %(size)d worst on "
        "the black list; windows with equal scores share a place and all go on "
        "the list. A window is listed only with at least %(n)d official "
        "inspection in the period.",
        "The %(size)d best windows go on the red list and the %(size)d worst on "
        "the black list; windows with equal scores share a place and all go on "
        "the list. A window is listed only with at least %(n)d official "
        "inspections in the period.",
        ranking["min_inspections"],
    ) % {"size": ranking["list_size"], "n": ranking["min_inspections"]}


def _typical_section(typical) -> list:
    story = [pdf.para(_("4. Typical problems"), "h1")]
    if not typical:
        return story + [pdf.para(_("No deduction this month."))]
    for row in typical:
        story.append(
            pdf.para(
                _("%(item)s — deducted %(count)d times")
                % {"item": row["item__criterion"], "count": row["count"]},
                "h2",
            )
        )
        if row["photo"] is not None:
            image = pdf.photo(row["photo"], 80 * mm, 55 * mm)
            if image:
                story += [image, Spacer(1, 2 * mm)]
    return story


def results_workbook(center, start: date, end: date) -> bytes:
    """Every item result of official, self and cross inspections in a period."""
    header = [
        _("Date"),
        _("Unit"),
        _("Kind"),
        _("Checklist"),
        _("Chapter"),
        _("Item"),
        _("Outcome"),
        _("Occurrences"),
        _("Points deducted"),
        _("Unfixed repeat"),
        _("Note"),
        _("Inspection score"),
        _("State"),
    ]
    return workbook([(_("Item results"), header, _result_rows(center, start, end))])


def _result_rows(center, start: date, end: date):
    outcomes = dict(ItemResult.Outcome.choices)
    kinds = dict(Inspection.Kind.choices)
    states = dict(Inspection.State.choices)
    rows = (
        ItemResult.objects.filter(
            inspection__center=center, inspection__inspected_on__range=(start, end)
        )
        .order_by(
            "inspection__inspected_on", "inspection__unit_label", "item__position"
        )
        .values_list(
            "inspection__inspected_on",
            "inspection__unit_label",
            "inspection__kind",
            "inspection__checklist__title",
            "item__chapter",
            "item__criterion",
            "outcome",
            "occurrences",
            "points",
            "is_repeat",
            "note",
            "inspection__score",
            "inspection__state",
        )
    )
    for row in rows.iterator(chunk_size=5000):
        (
            day,
            unit,
            kind,
            checklist,
            chapter,
            item,
            outcome,
            occ,
            points,
            repeat,
            note,
            score,
            state,
        ) = row
        yield [
            day,
            unit,
            str(kinds[kind]),
            checklist,
            chapter,
            item,
            str(outcomes[outcome]),
            occ,
            float(points),
            _("yes") if repeat else "",
            note,
            float(score) if score is not None else None,
            str(states[state]),
        ]
