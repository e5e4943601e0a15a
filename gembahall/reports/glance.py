"""The center at a glance on the director's home page: the month's figures
beside the month before's (the month the monthly pages open on, by the one
rule in core.periods), each linking to the page that lists what is behind it.
Read through the reports' KPI functions and the rectification dashboard, so
the figures match those pages; a fixed number of queries."""

from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core import periods
from gembahall.core.home import home_panel
from gembahall.inspections.queries import ranked_inspections
from gembahall.rectification import queries as rectification
from gembahall.rectification.models import Problem

from .dashboard import month_bounds
from .kpis import Scope, rating_kpis, ticket_kpis

DEPARTMENTS_SHOWN = 6


@home_panel("reports.glance", "reports/_glance.html")
def center_glance(person, center) -> dict | None:
    if not person.has_perm("problems.overview", center=center):
        return None
    today = timezone.localdate()
    start = periods.default_month(today)
    end = min(month_bounds(start)[1], today)
    last_start, last_end = month_bounds(start - timedelta(days=1))
    figures = []
    if person.has_perm("inspections.results", center=center):
        figures.append(inspection_score(center, start, last_start, end))
    figures.append(rectification_on_time(center, start, today))
    if person.has_perm("service.view", center=center):
        figures.extend(service_figures(center, start, end, last_start, last_end, today))
    return {
        "month": start,
        "month_rule": periods.default_month_rule(),
        "figures": figures,
        "overdue": overdue_by_department(center, today),
    }


def figure(key, label, now, before, *, kind, url, higher_is_better=True) -> dict:
    """One figure beside last month's; `better` is None when either is missing
    or they are equal."""
    better = None
    if now is not None and before is not None and now != before:
        better = (now > before) == higher_is_better
    return {
        "key": key,
        "label": label,
        "now": now,
        "before": before,
        "kind": kind,
        "url": url,
        "better": better,
    }


def inspection_score(center, start, last_start, end) -> dict:
    """Average official final score of the month and the month before: the
    ranking's inspections."""
    this_month = Q(inspected_on__gte=start)
    row = ranked_inspections(center, start=last_start, end=end).aggregate(
        now=Avg("score", filter=this_month), before=Avg("score", filter=~this_month)
    )
    return figure(
        "inspection",
        _("Inspection score"),
        row["now"],
        row["before"],
        kind="score",
        url=reverse("inspections:ranking"),
    )


def rectification_on_time(center, start, today) -> dict:
    """Problems closed in the month that were fixed by their deadline; the
    same cached figures as the rectification dashboard."""
    months = rectification.dashboard(center, today=today)["months"]
    shown = next(i for i, row in enumerate(months) if row["month"] == start)
    before, now = months[shown - 1], months[shown]
    return figure(
        "rectification",
        _("Rectified on time"),
        _share(now["on_time_rate"]),
        _share(before["on_time_rate"]),
        kind="pct",
        url=reverse("rectification:dashboard"),
    )


def _share(percent):
    return None if percent is None else percent / 100


def service_figures(center, start, end, last_start, last_end, today) -> list[dict]:
    scope = Scope(center.pk)
    now, before = (
        {**ticket_kpis(scope, a, b), **rating_kpis(scope, a, b, today)}
        for a, b in ((start, end), (last_start, last_end))
    )
    url = reverse("reports:dashboard")
    return [
        figure(
            "satisfaction",
            _("Satisfaction"),
            now["satisfaction"],
            before["satisfaction"],
            kind="pct",
            url=url,
        ),
        figure(
            "wait",
            _("Average wait (min)"),
            now["wait_avg_min"],
            before["wait_avg_min"],
            kind="min",
            url=url,
            higher_is_better=False,
        ),
    ]


def overdue_by_department(center, today) -> dict:
    rows = list(
        Problem.objects.overdue(today)
        .filter(center=center)
        .values("unit__department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__department__name")
    )
    top = max((r["n"] for r in rows), default=0)
    for row in rows:
        row["width"] = round(100 * row["n"] / top) if top else 0
    return {
        "total": sum(r["n"] for r in rows),
        "departments": rows[:DEPARTMENTS_SHOWN],
        "more": max(len(rows) - DEPARTMENTS_SHOWN, 0),
        "url": f"{reverse('rectification:problems')}?state=overdue",
    }
