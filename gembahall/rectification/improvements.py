"""PDCAA improvement cycles: 策划 plan, 执行 do, 审核 audit, 改善 improve,
标准 standardize. The last step writes a draft version of a standard (or a new
standard) linked to the cycle and its problems; the director's publishing it
ends the cycle."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.photos import decodes_photos_first, photo_store
from gembahall.standards import services as standards

from .models import REPEAT_WINDOW, Improvement, ImprovementTask, Problem
from .sources import follow_up_link

RECUR_THRESHOLD = 3
NEXT = {"plan": "do", "do": "audit", "audit": "improve", "improve": "standardize"}
TEXT_FIELD = {
    "plan": "plan",
    "do": "do_summary",
    "audit": "audit_result",
    "improve": "improve_notes",
}


def _require_manager(actor, improvement_or_center) -> None:
    center = getattr(improvement_or_center, "center", improvement_or_center)
    if not actor.has_perm("improvements.manage", center=center):
        raise PermissionDenied


@transaction.atomic
def improvement_open(
    *, actor, center, title: str, goal: str, problems=(), standard=None, item_key=None
) -> Improvement:
    _require_manager(actor, center)
    improvement = Improvement(
        center=center,
        title=title.strip(),
        goal=goal.strip(),
        standard=standard,
        item_key=item_key,
        owner=actor,
    )
    improvement.full_clean(exclude=["problems"])
    improvement.save()
    improvement.problems.set(problems)
    event_record(
        actor=actor,
        action="improvement.open",
        target=improvement,
        after={"problems": len(problems)},
    )
    return improvement


def _locked(improvement: Improvement, stages) -> Improvement:
    locked = Improvement.objects.select_for_update().get(pk=improvement.pk)
    if locked.stage not in stages:
        raise ValidationError(
            _("The cycle is at the “%(stage)s” step now; look at it again.")
            % {"stage": locked.get_stage_display()}
        )
    return locked


@transaction.atomic
def task_add(*, actor, improvement: Improvement, title: str, owner, due):
    """A measure of the plan, with its owner and due date."""
    _require_manager(actor, improvement)
    improvement = _locked(improvement, ("plan", "do"))
    task = ImprovementTask(
        center=improvement.center,
        improvement=improvement,
        title=title.strip(),
        owner=owner,
        due=due,
    )
    task.full_clean()
    task.save()
    event_record(
        actor=actor,
        action="improvement.task_add",
        target=improvement,
        after={"measure": task.title, "owner": str(owner), "due": str(due)},
    )
    return task


@decodes_photos_first
@transaction.atomic
def task_done(*, actor, task: ImprovementTask, evidence: str, uploads=()):
    """A measure carried out, with its evidence."""
    improvement = _locked(task.improvement, ("do",))
    if task.owner_id != actor.pk and not actor.has_perm(
        "improvements.manage", center=improvement.center
    ):
        raise PermissionDenied
    if not evidence.strip() and not uploads:
        raise ValidationError({"evidence": _("Describe or photograph what was done.")})
    task.evidence, task.done_at = evidence.strip(), timezone.now()
    task.save(update_fields=["evidence", "done_at", "updated_at"])
    task.photos.add(
        *(photo_store(actor=actor, center=task.center, upload=u) for u in uploads)
    )
    event_record(
        actor=actor,
        action="improvement.task_done",
        target=improvement,
        after={"measure": task.title},
    )
    return task


@transaction.atomic
def improvement_advance(
    *, actor, improvement: Improvement, text: str, follow_up=None
) -> Improvement:
    """Record the current step's result and move to the next step. At the
    audit, `follow_up` (a source's name and a record's public id) links the
    final record the audit rests on, such as a follow-up inspection."""
    _require_manager(actor, improvement)
    improvement = _locked(improvement, tuple(NEXT))
    stage = improvement.stage
    if not text.strip():
        raise ValidationError({"text": _("Write the result of this step.")})
    tasks = improvement.tasks.all()
    if stage == Improvement.Stage.PLAN and not tasks.exists():
        raise ValidationError(_("Add at least one measure with its owner first."))
    if stage == Improvement.Stage.DO and tasks.filter(done_at__isnull=True).exists():
        raise ValidationError(_("Every measure must be done before the audit."))
    if follow_up is not None:
        source, public_id = follow_up
        if (
            stage != Improvement.Stage.AUDIT
            or follow_up_link(source, public_id) is None
        ):
            raise ValidationError(
                {"inspection": _("Link a final follow-up inspection at the audit.")}
            )
        improvement.audit_source, improvement.audit_ref = source, public_id
    setattr(improvement, TEXT_FIELD[stage], text.strip())
    improvement.stage = NEXT[stage]
    improvement.save()
    event_record(
        actor=actor,
        action="improvement.advance",
        target=improvement,
        before={"stage": stage},
        after={"stage": improvement.stage},
    )
    return improvement


@transaction.atomic
def improvement_standardize(
    *,
    actor,
    improvement: Improvement,
    body: str,
    change_note: str = "",
    new_standard: dict | None = None,
):
    """Write the standard the cycle proved: a new draft version of its standard,
    or a new standard. Publishing it (the director) ends the cycle."""
    _require_manager(actor, improvement)
    improvement = _locked(improvement, ("standardize",))
    if improvement.version_id:
        raise ValidationError(_("This cycle already wrote its standard."))
    note = change_note or _("From improvement “%(title)s”") % {
        "title": improvement.title
    }
    if improvement.standard_id:
        version = standards.version_draft(actor=actor, standard=improvement.standard)
        if hasattr(version, "improvement"):
            raise ValidationError(
                _("The standard already has a draft from another improvement.")
            )
        standards.version_update(
            actor=actor, version=version, body=body, change_note=note
        )
    else:
        if not new_standard:
            raise ValidationError(_("Name the new standard."))
        standard = standards.standard_create(
            actor=actor, center=improvement.center, body=body, **new_standard
        )
        version = standard.versions.get()
        version.change_note = note
        version.save(update_fields=["change_note"])
        improvement.standard = standard
    improvement.version = version
    improvement.save(update_fields=["version", "standard", "updated_at"])
    event_record(
        actor=actor,
        action="improvement.standardize",
        target=improvement,
        after={"standard": str(version.standard), "version": version.number},
    )
    return version


def on_version_published(sender, version, actor, **kwargs) -> None:
    """The standard a cycle wrote is published: the cycle is done."""
    improvement = Improvement.objects.filter(version=version).first()
    if improvement is None:
        return
    improvement.stage, improvement.finished_at = "done", timezone.now()
    improvement.save(update_fields=["stage", "finished_at", "updated_at"])
    event_record(
        actor=actor,
        action="improvement.done",
        target=improvement,
        after={"standard": str(version.standard), "version": version.number},
    )


def recurring_items(center, now=None) -> list[dict]:
    """Checklist items that recurred RECUR_THRESHOLD or more times within the
    rolling repeat window, across units, with no cycle open for them yet."""
    now = now or timezone.now()
    covered = Improvement.objects.filter(center=center, item_key__isnull=False)
    covered = covered.exclude(stage=Improvement.Stage.DONE).values("item_key")
    rows = (
        Problem.objects.filter(
            center=center,
            repeat_of__isnull=False,
            item_key__isnull=False,
            created_at__gte=now - REPEAT_WINDOW,
        )
        .exclude(item_key__in=covered)
        .values("item_key")
        .annotate(
            repeats=Count("pk"),
            units=Count("unit", distinct=True),
            last=Max("created_at"),
            latest=Max("pk"),
        )
        .filter(repeats__gte=RECUR_THRESHOLD)
        .order_by("-repeats")[:10]
    )
    rows = list(rows)
    examples = Problem.objects.in_bulk([r["latest"] for r in rows])
    for row in rows:
        example = examples[row["latest"]]
        row["title"] = example.description.split("\n")[0][:80]
        row["standard_id"] = example.standard_id
    return rows
