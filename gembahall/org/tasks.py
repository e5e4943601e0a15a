"""Background tasks of the org app."""

from pathlib import Path

from django.tasks import task

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
    # The job page words the outcome from the result, in the reader's language.
    result = report.as_dict()
    progress.finish(result=result, failed=bool(report.errors))
    return result
