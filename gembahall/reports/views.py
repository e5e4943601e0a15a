"""The service dashboard and the raw records behind it."""

import contextlib
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from gembahall.casework.models import Ticket
from gembahall.core import periods
from gembahall.core.permissions import rule
from gembahall.org.models import Department, Unit

from . import dashboard as board
from .kpis import Scope

STAFF_SHOWN = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (key, label, kind) of the KPI table; kind picks the format.
KPI_ROWS = [
    ("tickets", _("Tickets taken"), "num"),
    ("wait_avg_min", _("Average wait (min)"), "min"),
    ("wait_p90_min", _("90% waited at most (min)"), "min"),
    ("wait_over_rate", _("Waited too long"), "pct"),
    ("handle_avg_min", _("Average handling (min)"), "min"),
    ("no_show_rate", _("No-shows"), "pct"),
    ("return_rate", _("Returned"), "pct"),
    ("throughput", _("Served per open window-day"), "num"),
    ("completed", _("Cases completed"), "num"),
    ("on_time_rate", _("Completed on time"), "pct"),
    ("early_rate", _("Completed early"), "pct"),
    ("overdue_rate", _("Completed late"), "pct"),
    ("compression", _("Time compression"), "pct"),
    ("immediate_rate", _("Completed the same day"), "pct"),
    ("notice_compliance", _("One-time notice kept"), "pct"),
    ("open_past_deadline", _("Open cases past deadline (now)"), "num"),
    ("participation", _("Rating participation"), "pct"),
    ("satisfaction", _("Satisfaction"), "pct"),
    ("bad_rate", _("Bad reviews"), "pct"),
    ("efficiency_avg", _("Service efficiency, average ★ of those given"), "num"),
    ("quality_avg", _("Service level, average ★ of those given"), "num"),
    ("attitude_avg", _("Service attitude, average ★ of those given"), "num"),
    ("callback_on_time", _("Bad reviews called back on time"), "pct"),
    ("rectify_on_time", _("Bad reviews rectified on time"), "pct"),
    ("visit_satisfied", _("Return visits: satisfied with the fix"), "pct"),
]


CASE_KEYS = {
    "completed",
    "on_time_rate",
    "early_rate",
    "overdue_rate",
    "compression",
    "immediate_rate",
    "notice_compliance",
    "open_past_deadline",
}


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
    first = _month(request.GET.get("month"), today)
    start, end = board.month_bounds(first)
    end = min(end, today) if start <= today else end
    previous = board.month_bounds(start - timedelta(days=1))
    cases = board.case_scope(scope, window.department_id if window else None)
    columns = []
    # Opened on last month in the first days of this one, today's figures
    # still lead the table.
    if today.replace(day=1) == first or "month" not in request.GET:
        columns.append(
            (_("Today"), board.all_kpis(scope, today, today, today, cases=cases))
        )
    columns.append(
        (first.strftime("%Y-%m"), board.all_kpis(scope, start, end, today, cases=cases))
    )
    columns.append(
        (
            previous[0].strftime("%Y-%m"),
            board.all_kpis(scope, *previous, today, cases=cases),
        )
    )
    by_department = cases is not scope
    kpi_table = [
        (
            _("%(kpi)s (department)") % {"kpi": label}
            if by_department and key in CASE_KEYS
            else label,
            kind,
            [values[key] for _title, values in columns],
        )
        for key, label, kind in KPI_ROWS
    ]
    center = request.center
    windows = (
        board.window_rows(
            center,
            start,
            end,
            department_id=department.pk if department else None,
            window_ids=own,
        )
        if window is None
        else []
    )
    staff = board.staff_rows(
        center,
        start,
        end,
        window_ids=[window.pk] if window else own,
        department_id=department.pk if department else None,
    )
    # The whole center's staff run to hundreds: the busiest are shown, and a
    # department or window shows all of its own.
    staff_shown = staff if (window or department or own) else staff[:STAFF_SHOWN]
    ctx = {
        "staff_more": len(staff) - len(staff_shown),
        "month": first.strftime("%Y-%m"),
        "month_rule": periods.default_month_rule(),
        "columns": [title for title, _values in columns],
        "kpi_table": kpi_table,
        "windows": windows,
        "window_chart": {
            "labels": [w.code or w.label for w in windows],
            "wait": [
                round(w.wait_avg_min, 1) if w.wait_avg_min else 0 for w in windows
            ],
            "satisfaction": [
                round(w.satisfaction * 100, 1) if w.satisfaction is not None else None
                for w in windows
            ],
        },
        "departments": (
            board.department_rows(center, start, end)
            if whole and window is None and department is None
            else []
        ),
        "staff": staff_shown,
        "heatmap": board.heatmap(center, start, end) if whole and not window else None,
        "window": window,
        "department": department,
        "whole": whole,
        "start": start,
        "end": end,
    }
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
    from django.http import HttpResponse

    from . import documents
    from .before_after import compare
    from .forms import PeriodsForm, default_periods

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
        report = compare(
            center,
            (periods["baseline_start"], periods["baseline_end"]),
            (periods["comparison_start"], periods["comparison_end"]),
        )
        kind = request.GET.get("format")
        if kind in ("pdf", "xlsx"):
            body = (documents.report_pdf if kind == "pdf" else documents.report_xlsx)(
                center, report
            )
            response = HttpResponse(
                body,
                content_type="application/pdf" if kind == "pdf" else XLSX,
            )
            response["Content-Disposition"] = (
                f'attachment; filename="before-after.{kind}"'
            )
            return response
    ctx = {
        "form": form,
        "report": report,
        "rows": list(documents.rows(report)) if report else [],
        "verdict": documents.verdict_text(report) if report else "",
        "method": documents.method_text(),
        "correlation": documents.correlation_text(report.correlation)
        if report and report.correlation.get("windows")
        else "",
        "query": request.GET.urlencode()
        if form.is_bound
        else "&".join(f"{k}={v}" for k, v in (periods or {}).items()),
    }
    return render(request, "reports/before_after.html", ctx)
