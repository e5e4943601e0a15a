"""Imports run as background jobs, their progress shown through the kit's
progress file."""

from pathlib import Path

from django.tasks import task

from gembahall.core.imports import run_import_job
from gembahall.core.models import Job
from gembahall.org.models import Center, Person

from .imports.cases import import_cases
from .imports.tickets import import_tickets


@task()
def records_import_task(job_id: str) -> dict:
    job = Job.objects.get(public_id=job_id)
    run = import_tickets if job.params["kind"] == "tickets" else import_cases
    return run_import_job(
        job,
        lambda progress: run(
            actor=Person.objects.get(pk=job.created_by_id),
            center=Center.objects.get(pk=job.center_id),
            path=Path(job.params["path"]),
            source_name=job.params.get("source", ""),
            dry_run=job.params.get("dry_run", False),
            progress=progress,
        ),
    )
