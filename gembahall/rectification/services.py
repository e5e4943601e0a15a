"""The rectification workflow: raising problems with working-day deadlines,
fixes, returns and verification. Every transition locks the problem's row and
checks its state, so two people acting at once never both win."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.notify import notify, notify_holders
from gembahall.core.photos import decodes_photos_first, photo_store
from gembahall.core.workdays import add_working_days
from gembahall.org.models import Person, RoleAssignment
from gembahall.standards.queries import in_force_id, season_swaps

from .models import REPEAT_WINDOW, Problem, ProblemStep

FIXABLE = (Problem.State.OPEN, Problem.State.IN_PROGRESS, Problem.State.RETURNED)


def unit_owner(unit) -> Person | None:
    """The unit's head; failing that, its active window head."""
    if unit.head_id and unit.head.is_active:
        return unit.head
    assignment = (
        RoleAssignment.objects.active()
        .filter(unit=unit, role="window_head")
        .select_related("person")
        .first()
    )
    return assignment.person if assignment else None


def deadline_for(severity: str, raised_on):
    """The deadline a problem of this severity raised on that day gets."""
    days = settings.GEMBAHALL_DEADLINE_DAYS.get(severity, 5)
    return add_working_days(raised_on, days)


def _repeats_of(unit_id: int, item_keys, now) -> dict:
    """The latest earlier problem of the unit per checklist item within the
    rolling repeat window."""
    keys = {k for k in item_keys if k}
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


def problems_from_inspection(*, inspection, results, owner, photos) -> list[Problem]:
    """One open problem per deduction, owned by `owner`, with the deduction's
    photos (pairs of item result and photo ids) as evidence. Runs inside the
    finalize's transaction, whose event records how many were raised. A
    seasonal item's problem names the standard in force on the inspection's
    day (winter dress in December, whichever the item links)."""
    if not results:
        return []
    now = timezone.now()
    swaps = season_swaps(inspection.center, inspection.inspected_on)
    repeats = _repeats_of(inspection.unit_id, (r.item.key for r in results), now)
    today = timezone.localdate(now)
    problems = Problem.objects.bulk_create(
        _with_deadline(
            Problem(
                center=inspection.center,
                unit=inspection.unit,
                source=Problem.Source.INSPECTION,
                severity=result.item.severity,
                description=result.item.criterion
                + (f"\n{result.note}" if result.note else ""),
                standard_id=in_force_id(result.item.standard_id, swaps),
                item_result=result,
                item_key=result.item.key,
                owner=owner,
                reported_by_id=inspection.inspector_id,
                repeat_of_id=repeats.get(result.item.key),
                created_at=now,
                raised_on=today,
            ),
            today,
        )
        for result in results
    )
    by_result = {p.item_result_id: p for p in problems}
    Problem.photos.through.objects.bulk_create(
        Problem.photos.through(problem=by_result[result_id], photo_id=photo_id)
        for result_id, photo_id in photos
    )
    if owner is not None:
        notify(
            [owner],
            kind="problem.new",
            title=_("%(n)d new problems for %(unit)s")
            % {"n": len(problems), "unit": inspection.unit_label},
            url=inspection.unit.get_absolute_url(),
        )
    return problems


def _with_deadline(problem: Problem, today) -> Problem:
    due = deadline_for(problem.severity, today)
    problem.deadline, problem.deadline_provisional = due.date, due.provisional
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
    """A spot finding or a self-report, with photos from the phone."""
    # Anyone on staff of the center may report, wherever in the hall.
    paths = actor.scope.all_center_paths()
    if not actor.has_perm("problems.report") or not any(
        unit.center.path.startswith(path) for path in paths
    ):
        raise PermissionDenied
    if source not in (Problem.Source.SPOT, Problem.Source.SELF_REPORT):
        raise ValidationError({"source": _("Choose spot finding or self-report.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe what is wrong.")})
    if not uploads:
        raise ValidationError({"photos": _("Add at least one photo of the problem.")})
    owner = unit_owner(unit)
    problem = _with_deadline(
        Problem(
            center=unit.center,
            unit=unit,
            source=source,
            severity=severity,
            description=description.strip(),
            location=location,
            standard=standard,
            owner=owner,
            reported_by=actor,
        ),
        timezone.localdate(),
    )
    problem.full_clean(exclude=["photos"])
    problem.save()
    problem.photos.set(
        photo_store(actor=actor, center=unit.center, unit=unit, upload=upload)
        for upload in uploads
    )
    event_record(
        actor=actor,
        action="problem.report",
        target=problem,
        after={"unit": str(unit), "source": source, "deadline": str(problem.deadline)},
    )
    if owner is not None and owner.pk != actor.pk:
        notify(
            [owner],
            kind="problem.new",
            title=_("New problem for %(unit)s") % {"unit": unit},
            body=problem.description[:200],
            url=problem.get_absolute_url(),
        )
    return problem


def can_fix(person, problem: Problem) -> bool:
    """The owner, and the unit's window head and liaison."""
    return problem.owner_id == person.pk or person.has_perm(
        "problems.fix", unit=problem.unit
    )


def _submitted_a_fix(person, problem: Problem) -> bool:
    return problem.steps.filter(kind=ProblemStep.Kind.SUBMITTED, actor=person).exists()


def can_verify(person, problem: Problem) -> bool:
    """An inspector of the center who did not submit a fix for this problem."""
    return person.has_perm(
        "problems.verify", center=problem.center
    ) and not _submitted_a_fix(person, problem)


def _locked(problem: Problem, states, actor) -> Problem:
    """The problem's row, locked for this transaction, in one of `states`."""
    locked = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("unit", "center")
        .get(pk=problem.pk)
    )
    if locked.state not in states:
        raise ValidationError(
            _(
                "This problem is now “%(state)s”: someone acted on it meanwhile. "
                "Look at it again."
            )
            % {"state": locked.get_state_display()}
        )
    return locked


def _step(problem, kind, actor, **fields) -> ProblemStep:
    return ProblemStep.objects.create(
        center_id=problem.center_id, problem=problem, kind=kind, actor=actor, **fields
    )


def _move(problem, actor, state, action, **extra) -> None:
    before = problem.state
    problem.state = state
    for field, value in extra.items():
        setattr(problem, field, value)
    problem.save(update_fields=["state", "updated_at", *extra])
    event_record(
        actor=actor,
        action=action,
        target=problem,
        before={"state": before},
        after={"state": state},
    )


@transaction.atomic
def problem_start(*, actor, problem: Problem) -> Problem:
    problem = _locked(problem, ("open",), actor)
    if not can_fix(actor, problem):
        raise PermissionDenied
    _step(problem, ProblemStep.Kind.STARTED, actor)
    _move(problem, actor, Problem.State.IN_PROGRESS, "problem.start")
    return problem


@decodes_photos_first
@transaction.atomic
def problem_submit(
    *, actor, problem: Problem, cause: str, action: str, uploads=()
) -> Problem:
    """The fix: photos of the result, the cause and what was done. A fix sent
    again after a return keeps the earlier fix's photos when no new one is
    added, so the window head does not have to take them again."""
    problem = _locked(problem, FIXABLE, actor)
    if not can_fix(actor, problem):
        raise PermissionDenied
    kept = []
    if not uploads and problem.state == Problem.State.RETURNED:
        earlier = problem.steps.filter(kind=ProblemStep.Kind.SUBMITTED).last()
        kept = list(earlier.photos.all()) if earlier else []
    errors = {}
    if not cause.strip():
        errors["cause"] = _("Say what caused the problem.")
    if not action.strip():
        errors["action"] = _("Say what was done to fix it.")
    if not uploads and not kept:
        errors["photos"] = _("Add at least one photo of the fixed place.")
    if errors:
        raise ValidationError(errors)
    step = _step(
        problem,
        ProblemStep.Kind.SUBMITTED,
        actor,
        cause=cause.strip(),
        action=action.strip(),
    )
    step.photos.set(
        kept
        or [
            photo_store(actor=actor, center=problem.center, unit=problem.unit, upload=u)
            for u in uploads
        ]
    )
    _move(
        problem,
        actor,
        Problem.State.SUBMITTED,
        "problem.submit",
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    notify_holders(
        "problems.verify",
        center=problem.center,
        exclude=[actor],
        kind="problem.submitted",
        title=_("A fix to verify: %(problem)s") % {"problem": problem},
        body=action.strip()[:200],
        url=problem.get_absolute_url(),
    )
    return problem


def _require_verifier(actor, problem: Problem) -> None:
    if not actor.has_perm("problems.verify", center=problem.center):
        raise PermissionDenied
    if _submitted_a_fix(actor, problem):
        raise ValidationError(
            _("You submitted a fix for this problem; another inspector verifies it.")
        )


@transaction.atomic
def problem_return(*, actor, problem: Problem, note: str) -> Problem:
    """Not fixed yet: back to the owner with the inspector's note."""
    problem = _locked(problem, ("submitted",), actor)
    _require_verifier(actor, problem)
    if not note.strip():
        raise ValidationError({"note": _("Say what is still wrong.")})
    _step(problem, ProblemStep.Kind.RETURNED, actor, note=note.strip())
    _move(problem, actor, Problem.State.RETURNED, "problem.return")
    recipients = [p for p in (problem.owner, problem.submitted_by) if p]
    notify(
        recipients,
        kind="problem.returned",
        title=_("A fix was returned: %(problem)s") % {"problem": problem},
        body=note.strip(),
        url=problem.get_absolute_url(),
    )
    return problem


@transaction.atomic
def problem_verify(*, actor, problem: Problem, note: str = "") -> Problem:
    """Seen fixed: the problem closes."""
    problem = _locked(problem, ("submitted",), actor)
    _require_verifier(actor, problem)
    _step(problem, ProblemStep.Kind.VERIFIED, actor, note=note.strip())
    now = timezone.now()
    _move(
        problem,
        actor,
        Problem.State.CLOSED,
        "problem.verify",
        verified_by=actor,
        closed_at=now,
        closed_on=timezone.localdate(now),
        days_to_close=round((now - problem.created_at).total_seconds() / 86400, 2),
        on_time=problem.deadline is None
        or timezone.localdate(problem.submitted_at) <= problem.deadline,
    )
    return problem


@transaction.atomic
def problem_deadline_set(*, actor, problem: Problem, deadline, note: str) -> Problem:
    """An inspector moves a deadline, saying why."""
    problem = _locked(problem, FIXABLE + ("submitted",), actor)
    if not actor.has_perm("problems.verify", center=problem.center):
        raise PermissionDenied
    if deadline < timezone.localdate(problem.created_at):
        raise ValidationError(
            {"deadline": _("The deadline cannot be before the problem was raised.")}
        )
    if not note.strip():
        raise ValidationError({"note": _("Say why the deadline moves.")})
    before = str(problem.deadline)
    problem.deadline, problem.deadline_provisional = deadline, False
    problem.save(update_fields=["deadline", "deadline_provisional", "updated_at"])
    _step(problem, ProblemStep.Kind.DEADLINE, actor, note=note.strip())
    event_record(
        actor=actor,
        action="problem.deadline",
        target=problem,
        before={"deadline": before},
        after={"deadline": str(deadline)},
    )
    return problem
