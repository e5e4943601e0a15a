"""The catalogue import as a background job."""

from pathlib import Path

from django.tasks import task

from gembahall.core.imports import run_import_job
from gembahall.core.models import Job
from gembahall.org.models import Center, Person

from .load import catalogue_import


@task()
def catalogue_import_task(job_id: str) -> dict:
    job = Job.objects.get(public_id=job_id)
    return run_import_job(
        job,
        lambda progress: catalogue_import(
            actor=Person.objects.get(pk=job.created_by_id),
            center=Center.objects.get(pk=job.center_id),
            path=Path(job.params["path"]),
            dry_run=job.params.get("dry_run", False),
            progress=progress,
        ),
    )
