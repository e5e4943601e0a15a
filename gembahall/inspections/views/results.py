"""Results: rankings (红黑榜), the monthly bulletin, the Excel export and a
unit's score history."""

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from gembahall.core import periods
from gembahall.core.permissions import SIGNED_IN, rule
from gembahall.core.xlsx import xlsx_response
from gembahall.org.models import Unit

from .. import documents, queries
from ..forms import ExportForm, PeriodForm
from ..models import Round

# Rendered rankings are kept until a new inspection is finalized in their
# period or a unit is renamed (both change the key), or for this long.
RANKING_CACHE_SECONDS = 600


def _month(request) -> tuple[int, int, PeriodForm]:
    form = PeriodForm(request.GET or None)
    first = periods.default_month(timezone.localdate())
    year, month = first.year, first.month
    if form.is_valid() and form.cleaned_data["month"]:
        year, month = form.cleaned_data["month"]
    return year, month, form


@rule("inspections.results")
@require_GET
def ranking(request):
    center = request.center
    year, month, form = _month(request)
    round_id = form.cleaned_data.get("round") if form.is_valid() else None
    rnd = None
    if round_id:
        rnd = get_object_or_404(
            Round.objects.visible_to(request.person).filter(center=center),
            public_id=round_id,
        )
    start, end = queries.month_bounds(year, month)
    period = {"round": rnd} if rnd else {"start": start, "end": end}
    key = "ranking:{}:{}:{}:{}".format(
        center.pk,
        rnd.pk if rnd else f"{year}-{month:02d}",
        get_language(),
        queries.ranking_stamp(center, **period),
    )
    board = cache.get(key)
    if board is None:
        ranking = queries.ranking(center, **period)
        board = render_to_string(
            "inspections/ranking.html#board",
            {"ranking": ranking, "list_rule": documents.list_rule(ranking)},
            request,
        )
        cache.set(key, board, RANKING_CACHE_SECONDS)
    ctx = {
        "form": form,
        "round": rnd,
        "month": f"{year}-{month:02d}",
        "month_rule": periods.default_month_rule(),
        "board": board,
        "rounds": Round.objects.filter(center=center).order_by("-starts_on", "-id")[
            :12
        ],
    }
    return render(request, "inspections/ranking.html", ctx)


@rule("inspections.results")
@require_GET
def bulletin(request):
    year, month, _form = _month(request)
    pdf = documents.bulletin(request.center, year, month)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="bulletin-{year}-{month:02d}.pdf"'
    )
    return response


@rule("inspections.results")
@require_GET
def export(request):
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        return render(request, "inspections/export.html", {"form": form})
    data = form.cleaned_data
    book = documents.results_workbook(request.center, data["start"], data["end"])
    return xlsx_response(book, f"inspection-results-{data['start']}-{data['end']}.xlsx")


@rule(SIGNED_IN)
@require_GET
def unit_results(request, unit):
    unit = get_object_or_404(Unit.objects.visible_to(request.person), public_id=unit)
    ctx = {
        "unit": unit,
        "history": queries.unit_history(unit),
        "problems": unit.problems.not_closed()
        .select_related("owner")
        .order_by("-created_at")[:20],
    }
    return render(request, "inspections/unit_results.html", ctx)
