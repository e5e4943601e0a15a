"""Finalizing an inspection: the score fixed, every deduction raised as a
problem through the rectification engine, and the witness's confirmation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gembahall.core.audit import event_record
from gembahall.org.models import Person
from gembahall.org.queries import unit_owner
from gembahall.rectification.intake import Finding, problems_raise
from gembahall.rectification.models import Problem
from gembahall.standards.queries import in_force_id, season_swaps

from .. import scoring
from ..models import Inspection, ItemResult
from .answers import apply_points, locked, repeat_keys, require_editable


def finalize_blockers(inspection: Inspection) -> list[str]:
    """Why an inspection cannot be finalized yet, in words for the page."""
    reasons = []
    if inspection.round_id and inspection.tier > 0:
        open_before = Inspection.objects.filter(
            round_id=inspection.round_id,
            tier__lt=inspection.tier,
            state=Inspection.State.DRAFT,
        ).count()
        if open_before:
            reasons.append(
                ngettext(
                    "Leaders first, then offices, then windows: %(count)d "
                    "leadership or office inspection of this round is still open.",
                    "Leaders first, then offices, then windows: %(count)d "
                    "leadership or office inspections of this round are still open.",
                    open_before,
                )
                % {"count": open_before}
            )
    return reasons


def waiting_for(inspection: Inspection) -> list[dict]:
    """The round's earlier inspections still open that this one waits for
    (leaders first, then offices, then windows), for the page to name."""
    if not inspection.round_id or inspection.tier == 0 or inspection.is_final:
        return []
    return list(
        Inspection.objects.filter(
            round_id=inspection.round_id,
            tier__lt=inspection.tier,
            state=Inspection.State.DRAFT,
        )
        .order_by("tier", "unit_label")
        .values("public_id", "unit_label", "tier")
    )


def _answer_blockers(results) -> list[str]:
    reasons = []
    pending = [r for r in results if r.outcome == ItemResult.Outcome.PENDING]
    if pending:
        reasons.append(
            ngettext(
                "%(count)d item is not checked yet.",
                "%(count)d items are not checked yet.",
                len(pending),
            )
            % {"count": len(pending)}
        )
    for r in results:
        if (
            r.outcome == ItemResult.Outcome.DEDUCT
            and r.item.photo_required
            and not r.photo_count
        ):
            reasons.append(
                _("A deduction needs a photo: %(item)s") % {"item": r.item.criterion}
            )
    return reasons


# What scoring and raising problems read of each result and its item.
RESULT_FIELDS = (
    "inspection_id",
    "outcome",
    "occurrences",
    "points",
    "is_repeat",
    "note",
    "item__key",
    "item__max_points",
    "item__deduction",
    "item__cap",
    "item__severity",
    "item__criterion",
    "item__standard_id",
    "item__photo_required",
)


# What finalizing reads of the inspection itself.
FINALIZE_RELATED = ("checklist", "unit", "unit__head", "center", "by_unit")


def inspection_finalize(
    *, actor, inspection: Inspection, loaded: bool = False
) -> Inspection:
    """Fix the score; every deduction becomes a problem for the unit's head.

    The answers are read and scored first; the write then succeeds only if the
    inspection is still the draft that was read (no answer changed meanwhile,
    nobody finalized it), so the database's write lock is held for the writes
    alone and a second finalize fails cleanly. `loaded`: the caller has just
    read the inspection with FINALIZE_RELATED, so it is not read again.
    """
    if not loaded:
        inspection = Inspection.objects.select_related(*FINALIZE_RELATED).get(
            pk=inspection.pk
        )
    require_editable(actor, inspection)
    results = list(
        inspection.results.select_related("item")
        .only(*RESULT_FIELDS)
        .annotate(photo_count=Count("photos"))
    )
    reasons = finalize_blockers(inspection) + _answer_blockers(results)
    if reasons:
        raise ValidationError(reasons)
    repeats = repeat_keys(inspection)
    changed = []
    for result in results:
        before = (result.is_repeat, result.points)
        apply_points(result, repeats)
        if (result.is_repeat, result.points) != before:
            changed.append(result)
    deductions = [r for r in results if r.outcome == ItemResult.Outcome.DEDUCT]
    final = {
        "score": scoring.score(
            (r.item.max_points, r.points, r.outcome) for r in results
        ),
        "deducted": sum((r.points for r in deductions), scoring.ZERO),
        "deduction_count": len(deductions),
        "state": Inspection.State.FINAL,
        "finalized_at": timezone.now(),
        "inspector_id": inspection.inspector_id or actor.pk,
    }
    owner = unit_owner(inspection.unit) if deductions else None
    with_photos = [r.pk for r in deductions if r.photo_count]
    photos = {}
    if with_photos:
        for result_id, photo_id in ItemResult.photos.through.objects.filter(
            itemresult__in=with_photos
        ).values_list("itemresult_id", "photo_id"):
            photos.setdefault(result_id, []).append(photo_id)
    with transaction.atomic():
        written = Inspection.objects.filter(
            pk=inspection.pk,
            state=Inspection.State.DRAFT,
            updated_at=inspection.updated_at,
        ).update(updated_at=final["finalized_at"], **final)
        if not written:
            raise ValidationError(
                _(
                    "The inspection changed while it was being finalized; look at it "
                    "again and finalize it then."
                )
            )
        for field, value in final.items():
            setattr(inspection, field, value)
        problems = _raise_problems(actor, inspection, deductions, owner, photos)
        for result, problem in zip(deductions, problems, strict=True):
            result.problem = problem
        touched = {r.pk: r for r in (*changed, *deductions)}
        if touched:
            ItemResult.objects.bulk_update(
                touched.values(), ["is_repeat", "points", "problem"]
            )
        event_record(
            actor=actor,
            action="inspection.finalize",
            target=inspection,
            after={
                "score": str(inspection.score),
                "deductions": len(deductions),
                "repeats": sum(r.is_repeat for r in deductions),
                "problems": len(problems),
            },
        )
    return inspection


def _raise_problems(actor, inspection, deductions, owner, photos) -> list[Problem]:
    """One problem per deduction, owned by `owner`, with the deduction's
    photos as evidence. A seasonal item's problem names the standard in force
    on the inspection's day (winter dress in December, whichever the item
    links)."""
    if not deductions:
        return []
    swaps = season_swaps(inspection.center, inspection.inspected_on)
    return problems_raise(
        actor=actor,
        source=Problem.Source.INSPECTION,
        unit=inspection.unit,
        owner=owner,
        reported_by=inspection.inspector_id,
        findings=[
            Finding(
                description=result.item.criterion
                + (f"\n{result.note}" if result.note else ""),
                severity=result.item.severity,
                standard_id=in_force_id(result.item.standard_id, swaps),
                item_key=result.item.key,
                photos=photos.get(result.pk, ()),
            )
            for result in deductions
        ],
    )


@transaction.atomic
def witness_set(*, actor, inspection: Inspection, witness: Person) -> Inspection:
    """Name a person of the inspected unit to confirm the inspection."""
    inspection = locked(inspection.pk)
    require_editable(actor, inspection)
    if witness.unit_id != inspection.unit_id or not witness.is_active:
        raise ValidationError(
            {"witness": _("The witness must work in the inspected unit.")}
        )
    if witness.user_id is None:
        raise ValidationError(
            {"witness": _("The witness needs an account to confirm.")}
        )
    inspection.witness, inspection.witness_confirmed_at = witness, None
    inspection.save(update_fields=["witness", "witness_confirmed_at", "updated_at"])
    event_record(
        actor=actor,
        action="inspection.witness",
        target=inspection,
        after={"witness": witness.name},
    )
    return inspection


@transaction.atomic
def witness_confirm(*, actor, inspection: Inspection) -> Inspection:
    """The witness confirms the final result from their own account."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.witness_id != actor.pk:
        raise PermissionDenied
    if not inspection.is_final:
        raise ValidationError(_("The inspection can be confirmed once it is final."))
    if inspection.witness_confirmed_at is None:
        inspection.witness_confirmed_at = timezone.now()
        inspection.save(update_fields=["witness_confirmed_at", "updated_at"])
        event_record(actor=actor, action="inspection.confirm", target=inspection)
    return inspection
