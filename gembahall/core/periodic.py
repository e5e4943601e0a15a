"""The one periodic job, `gembahall tick`: every piece of work that runs by
the clock (schedules, reminders, and later homework and backups) registers
here and runs on each tick.

Apps register their jobs in AppConfig.ready(). The worker that `gembahall
serve` starts runs a tick every minute; where the worker runs apart, cron does
(`* * * * * gembahall tick`). So each job must be idempotent and cheap when
nothing is due: a tick may come late, twice, or beside another one.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)

Job = Callable[[datetime], object]
_jobs: dict[str, Job] = {}


def periodic(name: str):
    """Register a job under a name; registering again replaces it, so an
    app's ready() may run twice (tests) without running a job twice."""

    def decorator(job: Job) -> Job:
        _jobs[name] = job
        return job

    return decorator


def periodic_jobs() -> dict[str, Job]:
    return dict(_jobs)


def tick(now: datetime | None = None, *, only=()) -> dict[str, object]:
    """Run every registered job (or those named in `only`) once; a job that
    fails is logged and the others still run. Returns each job's summary, or
    the error of a failed one."""
    now = now or timezone.now()
    results: dict[str, object] = {}
    for name, job in _jobs.items():
        if only and name not in only:
            continue
        try:
            results[name] = job(now)
        except Exception as error:  # noqa: BLE001  (one job must not stop the rest)
            log.exception("periodic job %s failed", name)
            results[name] = error
            close_old_connections()
    return results
