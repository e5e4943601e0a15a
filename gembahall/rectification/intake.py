"""The one way a problem enters the engine, whatever found it.

Every source raises its problems here — an inspection's deductions, a spot
finding or self-report, a bad citizen rating — so the rules hold alike for
all: the deadline in working days from the severity (or the one the source
sets), the repeat of the same checklist item on the same unit within the
repeat window, the unit's owner when none is named, the evidence photos, one
audit event per problem and the owner told.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record, events_record
from gembahall.core.notify import notify
from gembahall.core.photos import decodes_photos_first, photo_store
from gembahall.core.workdays import add_working_days
from gembahall.org.queries import unit_owner

from .models import REPEAT_WINDOW, Problem
from .queries import is_own_unit, reportable_units

# The owner is the unit's, unless the source names one (or None: nobody yet).
UNIT_OWNER = object()


@dataclass
class Finding:
    """What a source found: one problem to raise. `photos` are stored photos
    or their ids; `deadline` a date, `deadline_days` working days from the day
    it is raised, and with neither the severity sets the deadline."""

    description: str
    severity: str = Problem.Severity.GENERAL
    standard_id: int | None = None
    item_key: object = None
    location: str = ""
    photos: Sequence = field(default_factory=tuple)
    deadline: date | None = None
    deadline_days: int | None = None


def deadline_for(severity: str, raised_on):
    """The deadline a problem of this severity raised on that day gets."""
    days = settings.GEMBAHALL_DEADLINE_DAYS.get(severity, 5)
    return add_working_days(raised_on, days)


def _key(item_key) -> UUID | None:
    return UUID(str(item_key)) if item_key else None


def repeats_of(unit_id: int, item_keys: Iterable, now) -> dict:
    """The latest earlier problem of the unit per checklist item (by its key)
    within the rolling repeat window, whatever its state: a problem fixed and
    verified that comes back is a repeat too."""
    keys = {_key(k) for k in item_keys if k}
    if not keys:
        return {}
    earlier = (
        Problem.objects.filter(
            unit_id=unit_id, item_key__in=keys, created_at__gte=now - REPEAT_WINDOW
        )
        .order_by("created_at")
        .values_list("item_key", "pk")
    )
    return dict(earlier)


def _set_deadline(problem: Problem, finding: Finding, today) -> None:
    if finding.deadline is not None:
        problem.deadline, problem.deadline_provisional = finding.deadline, False
        return
    if finding.deadline_days is not None:
        due = add_working_days(today, finding.deadline_days)
    else:
        due = deadline_for(problem.severity, today)
    problem.deadline, problem.deadline_provisional = due.date, due.provisional


def _photo_id(photo) -> int:
    return photo if isinstance(photo, int) else photo.pk


@transaction.atomic
def problems_raise(
    *,
    actor,
    source: str,
    unit,
    findings: Sequence[Finding],
    owner=UNIT_OWNER,
    reported_by=None,
    notify_owner: bool = True,
) -> list[Problem]:
    """Raise the findings of one source on one unit at once, written in bulk
    (a fixed number of queries however many), and tell the owner in one
    notification. `actor` is who raises them (None: the system);
    `reported_by` a person or their id."""
    if not findings:
        return []
    if owner is UNIT_OWNER:
        owner = unit_owner(unit)
    now = timezone.now()
    today = timezone.localdate(now)
    repeats = repeats_of(unit.pk, (f.item_key for f in findings), now)
    problems = []
    for finding in findings:
        problem = Problem(
            center_id=unit.center_id,
            unit=unit,
            source=source,
            severity=finding.severity,
            description=finding.description,
            location=finding.location,
            standard_id=finding.standard_id,
            item_key=finding.item_key,
            owner=owner,
            reported_by_id=getattr(reported_by, "pk", reported_by),
            repeat_of_id=repeats.get(_key(finding.item_key)),
            created_at=now,
            raised_on=today,
        )
        _set_deadline(problem, finding, today)
        problems.append(problem)
    Problem.objects.bulk_create(problems)
    Problem.photos.through.objects.bulk_create(
        Problem.photos.through(problem=problem, photo_id=_photo_id(photo))
        for problem, finding in zip(problems, findings, strict=True)
        for photo in finding.photos
    )
    events_record(
        actor=actor,
        action="problem.raise",
        changes=((problem, _event_after(problem)) for problem in problems),
    )
    if notify_owner and owner is not None and owner.pk != getattr(actor, "pk", None):
        notify(
            [owner],
            kind="problem.new",
            title=_("%(n)d new problems for %(unit)s")
            % {"n": len(problems), "unit": unit},
            url=unit.get_absolute_url(),
        )
    return problems


def _event_after(problem: Problem) -> dict:
    return {
        "unit": str(problem.unit),
        "source": problem.source,
        "severity": problem.severity,
        "owner": str(problem.owner) if problem.owner else "",
        "deadline": str(problem.deadline),
        "repeat_of": problem.repeat_of_id,
    }


@transaction.atomic
def problem_raise(
    *,
    actor,
    source: str,
    unit,
    description: str,
    severity: str = Problem.Severity.GENERAL,
    standard=None,
    item_key=None,
    location: str = "",
    photos: Sequence = (),
    uploads: Sequence = (),
    deadline: date | None = None,
    deadline_days: int | None = None,
    owner=UNIT_OWNER,
    reported_by=None,
    action: str = "problem.raise",
    notify_owner: bool = True,
) -> Problem:
    """Raise one problem with the engine's rules (see the module), with
    stored `photos` or `uploads` to store once the problem is valid. The owner
    hears of it, unless they raised it themselves or `notify_owner` is off
    (the source tells them in its own words)."""
    if owner is UNIT_OWNER:
        owner = unit_owner(unit)
    now = timezone.now()
    today = timezone.localdate(now)
    finding = Finding(
        description=description,
        severity=severity,
        item_key=item_key,
        deadline=deadline,
        deadline_days=deadline_days,
    )
    problem = Problem(
        center_id=unit.center_id,
        unit=unit,
        source=source,
        severity=severity,
        description=description,
        location=location,
        standard=standard,
        item_key=item_key,
        owner=owner,
        reported_by=reported_by,
        repeat_of_id=repeats_of(unit.pk, [item_key], now).get(_key(item_key)),
        raised_on=today,
    )
    _set_deadline(problem, finding, today)
    problem.full_clean(exclude=["photos"])
    problem.save()
    stored = [
        photo_store(actor=actor, center=unit.center, unit=unit, upload=upload)
        for upload in uploads
    ]
    if photos or stored:
        problem.photos.set([*photos, *stored])
    after = _event_after(problem)
    if action == "problem.report":
        after = {k: after[k] for k in ("unit", "source", "deadline")}
    event_record(actor=actor, action=action, target=problem, after=after)
    if notify_owner and owner is not None and owner.pk != getattr(actor, "pk", None):
        notify(
            [owner],
            kind="problem.new",
            title=_("New problem for %(unit)s") % {"unit": unit},
            body=problem.description[:200],
            url=problem.get_absolute_url(),
        )
    return problem


@decodes_photos_first
@transaction.atomic
def problem_report(
    *,
    actor,
    unit,
    description: str,
    severity: str = "general",
    source: str = Problem.Source.SPOT,
    location: str = "",
    standard=None,
    uploads=(),
) -> Problem:
    """A spot finding or a self-report, with photos from the phone: on the
    units queries.reportable_units allows, a self-report on one's own unit."""
    if not actor.has_perm("problems.report"):
        raise PermissionDenied
    if source not in (Problem.Source.SPOT, Problem.Source.SELF_REPORT):
        raise ValidationError({"source": _("Choose spot finding or self-report.")})
    if not reportable_units(actor, unit.center).filter(pk=unit.pk).exists():
        raise ValidationError(
            {
                "unit": _(
                    "Report on your own unit; what you found at another unit, "
                    "report to the OSM office."
                )
            }
        )
    if source == Problem.Source.SELF_REPORT and not is_own_unit(actor, unit):
        raise ValidationError(
            {"source": _("A self-report is about your own unit; choose spot finding.")}
        )
    if not description.strip():
        raise ValidationError({"description": _("Describe what is wrong.")})
    if not uploads:
        raise ValidationError({"photos": _("Add at least one photo of the problem.")})
    return problem_raise(
        actor=actor,
        source=source,
        unit=unit,
        description=description.strip(),
        severity=severity,
        location=location,
        standard=standard,
        uploads=uploads,
        reported_by=actor,
        action="problem.report",
    )
