"""The service dashboard's figures, from the rollups: the scope today, this
month and last month; windows side by side; waiting by weekday and hour;
departments; staff scorecards. A fixed number of queries whatever the size
of the hall or the period."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from gembahall.casework.rollups import (
    Dimension,
    case_sums_by,
    hour_sums,
    parse_staff_key,
    ticket_sums_by_member,
)
from gembahall.core import periods
from gembahall.org.models import Department, Person, Unit
from gembahall.ratings.models import RatingStat

from .kpis import (
    Scope,
    case_kpis,
    percentile_from,
    rating_kpis,
    ratio,
    satisfied_count,
    ticket_kpis,
)


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def case_scope(scope: Scope, department_id=None) -> Scope:
    """Case systems record departments, not windows: a window's case KPIs
    are its department's."""
    if scope.window_id is None and scope.staff_key is None:
        return scope
    return Scope(scope.center_id, department_id=department_id)


def all_kpis(scope: Scope, start: date, end: date, today: date, *, cases=None) -> dict:
    return {
        **ticket_kpis(scope, start, end),
        **case_kpis(cases or scope, start, end, today),
        **rating_kpis(scope, start, end, today),
    }


@dataclass
class Row:
    """One line of a comparison table."""

    label: str
    code: str = ""
    key: str = ""
    tickets: int = 0
    served: int = 0
    wait_avg_min: float | None = None
    wait_p90_min: int | None = None
    handle_avg_min: float | None = None
    ratings: int = 0
    satisfaction: float | None = None
    bad_rate: float | None = None
    on_time_rate: float | None = None
    url_param: str = ""


SUMS = ("taken", "served", "waited", "wait_sum", "handled", "handle_sum")


def _ticket_rows(center_id, start, end, dim: Dimension, **filters) -> dict:
    """Per member of a dimension: the summed counters and the merged
    histogram of minutes waited, from one query over its day rows."""
    return ticket_sums_by_member(
        center_id=center_id, dim=dim, start=start, end=end, counters=SUMS, **filters
    )


def _rating_rows(filters: dict, start, end, group: str) -> dict:
    rows = {}
    for row in (
        RatingStat.objects.filter(**filters, day__range=(start, end))
        .values(group)
        .annotate(**{f: Sum(f) for f in ("n", "l1", "l2", "l3", "l4", "l5")})
    ):
        satisfied = satisfied_count(row)
        rows[row[group]] = (
            row["n"],
            ratio(satisfied, row["n"]),
            ratio(row["l1"] + row["l2"], row["n"]),
        )
    return rows


def _fill(row: Row, tickets: dict | None, ratings: tuple | None) -> Row:
    if tickets:
        row.wait_p90_min = percentile_from(list(enumerate(tickets["histogram"])), 0.9)
        row.tickets, row.served = tickets["taken"], tickets["served"]
        wait = ratio(tickets["wait_sum"], tickets["waited"])
        handle = ratio(tickets["handle_sum"], tickets["handled"])
        row.wait_avg_min = None if wait is None else wait / 60
        row.handle_avg_min = None if handle is None else handle / 60
    if ratings:
        row.ratings, row.satisfaction, row.bad_rate = ratings
    return row


def window_rows(center, start, end, *, department_id=None, window_ids=None):

    windows = Unit.objects.filter(center=center, kind__in=Unit.WINDOW_KINDS)
    filters, rating_filters = {}, {"center_id": center.pk}
    if department_id is not None:
        windows = windows.filter(department_id=department_id)
        filters["parent"] = department_id
        rating_filters["department_id"] = department_id
    if window_ids is not None:
        windows = windows.filter(pk__in=window_ids)
        filters["keys"] = [str(w) for w in window_ids]
        rating_filters["window_id__in"] = list(window_ids)
    tickets = _ticket_rows(center.pk, start, end, Dimension.WINDOW, **filters)
    ratings = _rating_rows(rating_filters, start, end, "window_id")
    return [
        _fill(
            Row(label=w.name, code=w.code, url_param=f"window={w.pk}"),
            tickets.get(str(w.pk)),
            ratings.get(w.pk),
        )
        for w in windows.order_by("code", "name")
        if w.valid_to is None or str(w.pk) in tickets
    ]


def department_rows(center, start, end):

    tickets = _ticket_rows(center.pk, start, end, Dimension.DEPARTMENT)
    ratings = _rating_rows({"center_id": center.pk}, start, end, "department_id")
    cases = {
        row["department_id"]: row
        for row in case_sums_by(
            center_id=center.pk,
            start=start,
            end=end,
            group=("department_id",),
            counters=("completed", "on_time"),
        )
    }
    rows = []
    for d in Department.objects.filter(center=center).order_by("name"):
        row = _fill(
            Row(label=d.name, url_param=f"department={d.pk}"),
            tickets.get(str(d.pk)),
            ratings.get(d.pk),
        )
        case = cases.get(d.pk)
        if case:
            row.on_time_rate = ratio(case["on_time"], case["completed"])
        if d.valid_to is None or row.tickets:
            rows.append(row)
    return rows


def staff_rows(center, start, end, *, window_ids=None, department_id=None):
    """Staff scorecards: at the given windows (or a department's windows),
    or across the center."""

    rating_filters = {"center_id": center.pk}
    if window_ids is None and department_id is not None:
        window_ids = list(
            Unit.objects.filter(center=center, department_id=department_id).values_list(
                "pk", flat=True
            )
        )
    if window_ids is not None:
        tickets = _ticket_rows(
            center.pk, start, end, Dimension.STAFF_WINDOW, parents=window_ids
        )
        rating_filters["window_id__in"] = list(window_ids)
    else:
        tickets = _ticket_rows(center.pk, start, end, Dimension.STAFF)
    ratings = _rating_rows(rating_filters, start, end, "staff_key")
    staff = {key: parse_staff_key(key) for key in tickets}
    ids = [person for person, _no in staff.values() if person is not None]
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = []
    for key, t in tickets.items():
        person, number = staff[key]
        label = number if person is None else names.get(person, key)
        rows.append(_fill(Row(label=label, key=key), t, ratings.get(key)))
    return sorted(rows, key=lambda r: -r.served)


def heatmap(center, start, end, *, window_scope=False) -> dict:
    """Mean wait in minutes by weekday (Mon–Sun) and hour, for the center."""
    cells = defaultdict(lambda: [0, 0])
    for day, hour, waited, wait_sum in hour_sums(
        center_id=center.pk, start=start, end=end
    ):
        cell = cells[(day.weekday(), hour)]
        cell[0] += waited
        cell[1] += wait_sum
    hours = sorted({h for _w, h in cells}) or list(range(8, 18))
    data = [
        [hours.index(h), weekday, round(s / n / 60, 1)]
        for (weekday, h), (n, s) in cells.items()
        if n
    ]
    return {"hours": [f"{h:02d}" for h in hours], "data": data}


# The page: what it shows, and the read that gathers it.

STAFF_SHOWN = 30
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


def _kpi_columns(scope, cases, first, today, *, with_today: bool) -> list[tuple]:
    """(title, KPIs) of today when asked, the month and the month before."""
    start, end = month_bounds(first)
    end = min(end, today) if start <= today else end
    previous = month_bounds(start - timedelta(days=1))
    columns = []
    if with_today:
        columns.append((_("Today"), all_kpis(scope, today, today, today, cases=cases)))
    columns.append(
        (first.strftime("%Y-%m"), all_kpis(scope, start, end, today, cases=cases))
    )
    columns.append(
        (previous[0].strftime("%Y-%m"), all_kpis(scope, *previous, today, cases=cases))
    )
    return columns


def _kpi_table(columns, *, by_department: bool) -> list[tuple]:
    """(label, kind, values by column) per KPI; case KPIs read
    "(department)" where a window's are its department's."""
    return [
        (
            _("%(kpi)s (department)") % {"kpi": label}
            if by_department and key in CASE_KEYS
            else label,
            kind,
            [values[key] for _title, values in columns],
        )
        for key, label, kind in KPI_ROWS
    ]


def _window_chart(windows: list[Row]) -> dict:
    return {
        "labels": [w.code or w.label for w in windows],
        "wait": [round(w.wait_avg_min, 1) if w.wait_avg_min else 0 for w in windows],
        "satisfaction": [
            round(w.satisfaction * 100, 1) if w.satisfaction is not None else None
            for w in windows
        ],
    }


def dashboard_page(
    *, center, scope, whole, own, window, department, first, month_asked, today
) -> dict:
    """Everything the service dashboard shows for a scope and a month:
    the KPI table, windows side by side, departments, staff scorecards and
    the waiting heatmap, each where the scope calls for it."""
    start, end = month_bounds(first)
    end = min(end, today) if start <= today else end
    cases = case_scope(scope, window.department_id if window else None)
    # Opened on last month in the first days of this one, today's figures
    # still lead the table.
    with_today = today.replace(day=1) == first or not month_asked
    columns = _kpi_columns(scope, cases, first, today, with_today=with_today)
    department_id = department.pk if department else None
    windows = (
        window_rows(center, start, end, department_id=department_id, window_ids=own)
        if window is None
        else []
    )
    staff = staff_rows(
        center,
        start,
        end,
        window_ids=[window.pk] if window else own,
        department_id=department_id,
    )
    # The whole center's staff run to hundreds: the busiest are shown, and a
    # department or window shows all of its own.
    staff_shown = staff if (window or department or own) else staff[:STAFF_SHOWN]
    return {
        "staff_more": len(staff) - len(staff_shown),
        "month": first.strftime("%Y-%m"),
        "month_rule": periods.default_month_rule(),
        "columns": [title for title, _values in columns],
        "kpi_table": _kpi_table(columns, by_department=cases is not scope),
        "windows": windows,
        "window_chart": _window_chart(windows),
        "departments": (
            department_rows(center, start, end)
            if whole and window is None and department is None
            else []
        ),
        "staff": staff_shown,
        "heatmap": heatmap(center, start, end) if whole and not window else None,
        "window": window,
        "department": department,
        "whole": whole,
        "start": start,
        "end": end,
    }
