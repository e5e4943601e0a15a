"""The rectification workbook: the dashboard's figures by month and by unit,
and every problem of the period."""

from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.xlsx import workbook

from .models import OWNER_STATES, Problem


def problems_workbook(center, data: dict) -> bytes:
    months = [
        [
            f"{r['month']:%Y-%m}",
            r["raised"],
            r["repeats"],
            r["repeat_rate"],
            r["closed"],
            r["on_time_rate"],
            r["mean_days"],
        ]
        for r in data["months"]
    ]
    units = [
        [
            str(r["unit"]),
            r["open"],
            r["overdue"],
            r["raised"],
            r["closed"],
            r["on_time_rate"],
            r["mean_days"],
            r["repeat_rate"],
        ]
        for r in data["units"]
    ]
    return workbook(
        [
            (
                _("By month"),
                [
                    _("Month"),
                    _("Raised"),
                    _("Repeats"),
                    _("Repeat rate %"),
                    _("Closed"),
                    _("Closed on time %"),
                    _("Mean days to close"),
                ],
                months,
            ),
            (
                _("By unit"),
                [
                    _("Unit"),
                    _("Open"),
                    _("Overdue"),
                    _("Raised"),
                    _("Closed"),
                    _("Closed on time %"),
                    _("Mean days to close"),
                    _("Repeat rate %"),
                ],
                units,
            ),
            (
                _("Problems"),
                [
                    _("Raised on"),
                    _("Unit"),
                    _("Source"),
                    _("Severity"),
                    _("Description"),
                    _("State"),
                    _("Deadline"),
                    _("Overdue"),
                    _("Repeat"),
                    _("Closed on"),
                    _("Closed on time"),
                ],
                _problem_rows(center, data["months"][0]["month"]),
            ),
        ]
    )


def _problem_rows(center, since):
    states = dict(Problem.State.choices)
    sources = dict(Problem.Source.choices)
    severities = dict(Problem.Severity.choices)
    today = timezone.localdate()
    rows = (
        Problem.objects.filter(center=center, raised_on__gte=since)
        .order_by("raised_on", "id")
        .values_list(
            "raised_on",
            "unit__code",
            "unit__name",
            "source",
            "severity",
            "description",
            "state",
            "deadline",
            "repeat_of_id",
            "closed_on",
            "on_time",
        )
    )
    for row in rows.iterator(chunk_size=5000):
        (
            raised,
            code,
            name,
            source,
            severity,
            text,
            state,
            deadline,
            repeat,
            closed,
            on_time,
        ) = row
        overdue = state in OWNER_STATES and deadline is not None and deadline < today
        yield [
            raised,
            f"{code} {name}",
            str(sources[source]),
            str(severities.get(severity, severity)),
            text,
            str(states[state]),
            deadline,
            _("yes") if overdue else "",
            _("yes") if repeat else "",
            closed,
            "" if on_time is None else _("yes") if on_time else _("no"),
        ]
