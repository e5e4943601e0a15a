"""Progress of an import that runs as a job. The import's writes sit in one
transaction, so its progress goes to a small file beside the upload that the
job page reads — a database write would wait for that transaction."""

import json
from collections.abc import Callable
from pathlib import Path

from ..models import Job
from ..services import JobProgress
from .report import FileRejected, Report


def progress_path(job: Job) -> Path:
    return Path(job.params["path"]).with_suffix(".progress")


def read_progress(job: Job) -> int:
    """Percent done of a running import, from its progress file."""
    try:
        return int(json.loads(progress_path(job).read_text())["percent"])
    except (OSError, ValueError, KeyError):
        return 0


def run_import_job(job: Job, run: Callable[[Callable[[float], None]], Report]) -> dict:
    """Run an import for its job: `run(progress)` imports the job's file and
    returns the report. The job ends failed when the file is refused or any
    row is bad, with the report as its result either way."""
    job_progress = JobProgress(job)
    job_progress.begin(total=100)
    marker = progress_path(job)

    def step(fraction: float) -> None:
        marker.write_text(json.dumps({"percent": int(fraction * 100)}))

    try:
        report = run(step)
    except FileRejected as error:
        job_progress.finish(result={"errors": []}, message=str(error), failed=True)
        return {}
    finally:
        marker.unlink(missing_ok=True)
    # The job page words the outcome from the result, in the reader's language.
    result = report.as_dict()
    job_progress.finish(result=result, failed=bool(report.errors))
    return result
