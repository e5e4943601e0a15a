"""Background tasks of the org app."""

from pathlib import Path

from django.tasks import task
from django.utils.translation import gettext as _

from gembahall.core.models import Job
from gembahall.core.services import JobProgress

from .models import Center, Person
from .roster import RosterError, import_roster


@task()
def roster_import_task(job_id: str) -> dict:
    job = Job.objects.get(public_id=job_id)
    progress = JobProgress(job)
    progress.begin(total=3)
    try:
        report = import_roster(
            actor=Person.objects.get(pk=job.created_by_id),
            center=Center.objects.get(pk=job.center_id),
            path=Path(job.params["path"]),
            dry_run=job.params.get("dry_run", False),
            progress=lambda done, total: progress.step(done),
        )
    except RosterError as error:
        progress.finish(result={"errors": []}, message=str(error), failed=True)
        return {}
    result = report.as_dict()
    if report.errors:
        message = _("%(n)s row(s) have errors; nothing was written.") % {
            "n": len({e.row for e in report.errors})
        }
    elif job.params.get("dry_run"):
        message = _("Every row is valid. Nothing has been written yet.")
    else:
        message = _("The roster was imported.")
    progress.finish(result=result, message=message, failed=bool(report.errors))
    return result
