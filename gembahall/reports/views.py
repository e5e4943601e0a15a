"""The service dashboard and the raw records behind it."""

import contextlib
from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gembahall.casework.models import Ticket
from gembahall.core import periods
from gembahall.core.permissions import rule
from gembahall.core.xlsx import xlsx_response
from gembahall.org.models import Department, Unit

from . import dashboard as board
from . import documents
from . import evidence_text as evidence
from .before_after import report_for
from .forms import PeriodsForm, default_periods
from .kpis import Scope


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _month(text, today) -> date:
    try:
        year, month = (int(p) for p in text.split("-"))
        return date(year, month, 1)
    except (AttributeError, ValueError):
        return periods.default_month(today)


def resolve_scope(request):
    """The scope asked for, narrowed to what the person may see: the whole
    center for service.view, otherwise only their own windows (404 beyond)."""
    person, center = request.person, request.center
    whole = person.has_perm("service.view", center=center)
    own = None if whole else person.scope.unit_ids("service.unit")
    department = _int(request.GET.get("department"))
    window = _int(request.GET.get("window"))
    if own is not None:
        department = None
        if window is None and len(own) == 1:
            window = next(iter(own))
        if window is not None and window not in own:
            raise Http404
    window_obj = dept_obj = None
    if window is not None:
        window_obj = Unit.objects.filter(
            center=center, kind__in=Unit.WINDOW_KINDS, pk=window
        ).first()
        if window_obj is None:
            raise Http404
    elif department is not None:
        dept_obj = Department.objects.filter(center=center, pk=department).first()
        if dept_obj is None:
            raise Http404
    scope = Scope(
        center.pk,
        department_id=dept_obj.pk if dept_obj else None,
        window_id=window_obj.pk if window_obj else None,
    )
    return scope, whole, own, window_obj, dept_obj


@rule(("service.view", "service.unit"))
@require_GET
def dashboard(request):
    today = timezone.localdate()
    scope, whole, own, window, department = resolve_scope(request)
    ctx = board.dashboard_page(
        center=request.center,
        scope=scope,
        whole=whole,
        own=own,
        window=window,
        department=department,
        first=_month(request.GET.get("month"), today),
        month_asked="month" in request.GET,
        today=today,
    )
    return render(request, "reports/dashboard.html", ctx)


@rule(("service.view", "service.unit"))
@require_GET
def tickets(request):
    """The raw tickets behind a figure, newest first."""
    scope, _whole, own, window, department = resolve_scope(request)
    rows = Ticket.objects.filter(center=request.center)
    if window is not None:
        rows = rows.filter(window=window)
    elif department is not None:
        rows = rows.filter(department=department)
    elif own is not None:
        rows = rows.filter(window_id__in=own)
    day = request.GET.get("day")
    if day:
        with contextlib.suppress(ValueError):
            rows = rows.filter(day=date.fromisoformat(day))
    page = Paginator(
        rows.select_related("window", "staff", "service_item").order_by(
            "-taken_at", "-pk"
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/tickets.html",
        {"page": page, "window": window, "department": department, "day": day},
    )


@rule("service.view")
@require_GET
def before_after(request):
    center = request.center
    if not request.person.has_perm("service.view", center=center):
        raise Http404
    today = timezone.localdate()
    form = PeriodsForm(request.GET or None, initial=default_periods(center, today))
    periods = form.cleaned_data if form.is_bound and form.is_valid() else None
    if periods is None and not form.is_bound:
        periods = default_periods(center, today)
    report = None
    if periods is not None:
        report = report_for(
            center,
            (periods["baseline_start"], periods["baseline_end"]),
            (periods["comparison_start"], periods["comparison_end"]),
        )
        kind = request.GET.get("format")
        if kind == "xlsx":
            body = documents.report_xlsx(center, report)
            return xlsx_response(body, "before-after.xlsx")
        if kind == "pdf":
            response = HttpResponse(
                documents.report_pdf(center, report), content_type="application/pdf"
            )
            response["Content-Disposition"] = 'attachment; filename="before-after.pdf"'
            return response
    ctx = {
        "form": form,
        "report": report,
        "rows": list(documents.rows(report)) if report else [],
        "verdict": documents.verdict_text(report) if report else "",
        "method": documents.method_text(),
        "evidence": _evidence_context(report.evidence, evidence)
        if report and report.evidence
        else None,
        "query": request.GET.urlencode()
        if form.is_bound
        else "&".join(f"{k}={v}" for k, v in (periods or {}).items()),
    }
    return render(request, "reports/before_after.html", ctx)


def _evidence_context(found, text) -> dict:
    return {
        "enough": found.enough,
        "intro": text.intro(found),
        "links": [
            {
                "key": link.kpi.key,
                "chart_id": f"evidence-data-{link.kpi.key}",
                "label": link.kpi.label,
                "figures": text.figures(link),
                "reading": text.reading(link),
                "direction": link.direction,
                "chart": text.chart(link),
            }
            for link in found.links
        ]
        if found.enough
        else [],
        "caveat": text.caveat(),
    }
