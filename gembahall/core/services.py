"""Use-cases of the core: the working-day calendar, jobs and the audit trail's
export."""

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import workdays, xlsx
from .actions import action_label
from .audit import event_record
from .models import CalendarDay, CalendarYear, Event, Job


@transaction.atomic
def calendar_year_set(
    *,
    actor,
    year: int,
    holidays: list[tuple[date, str]],
    workdays_: list[tuple[date, str]],
) -> CalendarYear:
    """Replace a year's holidays and adjusted working days (OSM office duty)."""
    actor.require("calendar.edit")
    if CalendarYear.objects.filter(
        year=year, source=CalendarYear.Source.OFFICIAL
    ).exists():
        raise ValidationError(
            _("This year was announced officially and cannot be edited.")
        )
    clash = {d for d, _n in holidays} & {d for d, _n in workdays_}
    if clash:
        raise ValidationError(
            _("%(day)s is listed both as a holiday and as a working day.")
            % {"day": min(clash).isoformat()}
        )
    for d, _n in [*holidays, *workdays_]:
        if d.year != year:
            raise ValidationError(
                _("%(day)s is not in %(year)s.") % {"day": d.isoformat(), "year": year}
            )
    before = list(
        CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
    )
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, is_workday=False, name=n) for d, n in holidays]
        + [CalendarDay(date=d, is_workday=True, name=n) for d, n in workdays_]
    )
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": CalendarYear.Source.MANUAL}
    )
    event_record(
        actor=actor,
        action="calendar.edit",
        target_type="core.calendaryear",
        target_id=str(year),
        target_repr=str(year),
        before={"days": [f"{d}:{'W' if w else 'H'}" for d, w in before]},
        after={
            "holidays": [d.isoformat() for d, _n in holidays],
            "workdays": [d.isoformat() for d, _n in workdays_],
        },
    )
    workdays.clear_cache()
    return calendar_year


def job_start(*, actor, center, kind: str, title: str, params: dict, task) -> Job:
    """Record a job's progress and queue its task once the transaction commits."""
    job = Job.objects.create(
        center=center, kind=kind, title=title, params=params, created_by=actor
    )
    event_record(actor=actor, action="job.start", target=job, after={"kind": kind})
    transaction.on_commit(lambda: task.enqueue(str(job.public_id)))
    return job


class JobProgress:
    """Handle a task uses to report progress on its job."""

    def __init__(self, job: Job):
        self.job = job

    def begin(self, total: int) -> None:
        Job.objects.filter(pk=self.job.pk).update(
            state=Job.State.RUNNING, total=total, done=0, updated_at=timezone.now()
        )

    def step(self, done: int) -> None:
        Job.objects.filter(pk=self.job.pk).update(done=done, updated_at=timezone.now())

    def finish(self, *, result: dict, message: str = "", failed: bool = False) -> None:
        Job.objects.filter(pk=self.job.pk).update(
            state=Job.State.FAILED if failed else Job.State.DONE,
            result=result,
            message=message,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )


# An export past this many events is refused: a narrower filter says what
# the auditor is looking for, and the file still opens in Excel.
AUDIT_EXPORT_MAX_ROWS = 100_000


@transaction.atomic
def audit_export(*, actor, events, filters: dict) -> bytes:
    """The filtered trail as an Excel file; the export is itself an event, with
    the filters it was made with."""
    actor.require("audit.view")
    count = events.count()
    if count > AUDIT_EXPORT_MAX_ROWS:
        raise ValidationError(
            _(
                "%(count)d events match; an export holds at most %(max)d. Narrow "
                "the dates or pick an action or a person."
            )
            % {"count": count, "max": AUDIT_EXPORT_MAX_ROWS}
        )
    event_record(
        actor=actor,
        action="audit.export",
        target_repr=_("Audit trail"),
        after={"filters": filters, "rows": count},
    )
    header = [
        _("Time"),
        _("Person"),
        _("Action"),
        _("Action code"),
        _("Target"),
        _("Result"),
        _("IP address"),
        _("Before"),
        _("After"),
    ]
    results = dict(Event.Result.choices)
    rows = (
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name if e.actor_id else _("system"),
            action_label(e.action),
            e.action,
            e.target_repr,
            str(results.get(e.result, e.result)),
            e.ip or "",
            json.dumps(e.before, ensure_ascii=False) if e.before else "",
            json.dumps(e.after, ensure_ascii=False) if e.after else "",
        ]
        for e in events.iterator(chunk_size=2000)
    )
    return xlsx.workbook([(_("Audit trail"), header, rows)])
