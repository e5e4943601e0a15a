"""Imports run as background jobs. The import's writes sit in one
transaction, so its progress goes to a small file beside the upload that
the job page reads — a database write would wait for that transaction."""

import json
from pathlib import Path

from django.tasks import task

from gembahall.core.models import Job
from gembahall.core.services import JobProgress
from gembahall.org.models import Center, Person

from .imports import ImportError_
from .imports.cases import import_cases
from .imports.tickets import import_tickets


def progress_path(job: Job) -> Path:
    return Path(job.params["path"]).with_suffix(".progress")


def read_progress(job: Job) -> int:
    """Percent done of a running import, from its progress file."""
    try:
        return int(json.loads(progress_path(job).read_text())["percent"])
    except (OSError, ValueError, KeyError):
        return 0


@task()
def records_import_task(job_id: str) -> dict:
    job = Job.objects.get(public_id=job_id)
    progress = JobProgress(job)
    progress.begin(total=100)
    marker = progress_path(job)

    def step(fraction: float) -> None:
        marker.write_text(json.dumps({"percent": int(fraction * 100)}))

    run = import_tickets if job.params["kind"] == "tickets" else import_cases
    try:
        report = run(
            actor=Person.objects.get(pk=job.created_by_id),
            center=Center.objects.get(pk=job.center_id),
            path=Path(job.params["path"]),
            source_name=job.params.get("source", ""),
            dry_run=job.params.get("dry_run", False),
            progress=step,
        )
    except ImportError_ as error:
        progress.finish(result={"errors": []}, message=str(error), failed=True)
        return {}
    finally:
        marker.unlink(missing_ok=True)
    result = report.as_dict()
    progress.finish(result=result, failed=bool(report.errors))
    return result
