"""Running inspections: rounds, answers, evidence photos, finalizing, witnesses."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gembahall.core.audit import event_record
from gembahall.core.photos import decodes_photos_first, photo_store
from gembahall.org.models import Person, Unit

from . import scoring
from .models import (
    Checklist,
    Inspection,
    InspectionPlan,
    ItemResult,
    Round,
)

TIER_OF_KIND = {"leadership": 0, "office": 1}


def tier_of(unit: Unit) -> int:
    return TIER_OF_KIND.get(unit.kind, Inspection.Tier.WINDOW)


def latest_checklist(center, code: str) -> Checklist:
    checklist = (
        Checklist.objects.filter(center=center, code=code, state="published")
        .order_by("-number")
        .first()
    )
    if checklist is None:
        raise ValidationError({"checklist": _("No published checklist has this code.")})
    return checklist


def _create_inspection(*, center, checklist, unit, round=None, **fields) -> Inspection:
    inspection = Inspection.objects.create(
        center=center,
        checklist=checklist,
        unit=unit,
        unit_label=str(unit),
        round=round,
        tier=tier_of(unit),
        **fields,
    )
    ItemResult.objects.bulk_create(
        ItemResult(center=center, inspection=inspection, item=item)
        for item in checklist.items.all()
    )
    return inspection


def plan_targets(plan: InspectionPlan) -> list[Unit]:
    """The plan's units and the active units of its kinds, leaders first, then
    offices, then windows."""
    units = {u.pk: u for u in plan.units.filter(valid_to__isnull=True)}
    if plan.target_kinds:
        for unit in Unit.objects.active().filter(
            center=plan.center, kind__in=plan.target_kinds
        ):
            units[unit.pk] = unit
    return sorted(units.values(), key=lambda u: (tier_of(u), u.code, u.name))


@transaction.atomic
def round_start(*, actor, plan: InspectionPlan, title: str, starts_on) -> Round:
    """Open a round: one inspection per target of the plan."""
    actor.require("inspections.plan", center=plan.center)
    round = round_open(plan=plan, title=title, starts_on=starts_on, created_by=actor)
    event_record(
        actor=actor,
        action="round.start",
        target=round,
        after={"units": round.inspections.count()},
    )
    return round


def round_open(*, plan: InspectionPlan, title: str, starts_on, **fields) -> Round:
    """The round and one inspection per target of the plan; the caller checks
    who may open it and records the event."""
    checklist = latest_checklist(plan.center, plan.checklist_code)
    office_checklist = (
        latest_checklist(plan.center, plan.office_checklist_code)
        if plan.office_checklist_code
        else checklist
    )
    targets = plan_targets(plan)
    if not targets:
        raise ValidationError(_("The plan has no units to inspect."))
    round = Round.objects.create(
        center=plan.center, plan=plan, title=title, starts_on=starts_on, **fields
    )
    for unit in targets:
        _create_inspection(
            center=plan.center,
            checklist=office_checklist if tier_of(unit) < 2 else checklist,
            unit=unit,
            round=round,
            inspected_on=starts_on,
        )
    return round


@transaction.atomic
def inspection_start(
    *, actor, unit: Unit, checklist: Checklist, kind: str = "official", on=None
) -> Inspection:
    """An inspection outside a round: an ad hoc check by the OSM office, a
    window's self-inspection (自查) or a cross-inspection of another window."""
    on = on or timezone.localdate()
    if checklist.state != Checklist.State.PUBLISHED:
        raise ValidationError({"checklist": _("Choose a published checklist.")})
    if kind == Inspection.Kind.OFFICIAL:
        actor.require("inspections.perform", center=unit.center)
        by_unit = None
    else:
        by_unit = actor.unit
        if by_unit is None or not actor.has_perm("inspections.self", unit=by_unit):
            raise PermissionDenied
        if kind == Inspection.Kind.SELF and unit.pk != by_unit.pk:
            raise ValidationError(_("A self-inspection is of your own window."))
        if kind == Inspection.Kind.CROSS and (
            unit.pk == by_unit.pk or unit.center_id != by_unit.center_id
        ):
            raise ValidationError(
                _("A cross-inspection is of another window of the same center.")
            )
    inspection = _create_inspection(
        center=unit.center,
        checklist=checklist,
        unit=unit,
        kind=kind,
        inspector=actor,
        by_unit=by_unit,
        inspected_on=on,
    )
    event_record(actor=actor, action="inspection.start", target=inspection)
    return inspection


def can_perform(person, inspection: Inspection) -> bool:
    if inspection.is_official:
        return person.has_perm("inspections.perform", center=inspection.center)
    return (
        inspection.by_unit_id is not None
        and person.has_perm("inspections.self", unit=inspection.by_unit)
        and inspection.inspector_id in (None, person.pk)
    )


def _locked(inspection_id: int) -> Inspection:
    """The inspection as stored, locked until the change commits, so an answer
    never lands on an inspection finalized meanwhile."""
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("checklist", "unit", "unit__head", "center", "by_unit")
        .get(pk=inspection_id)
    )


def _touch(inspection: Inspection, **fields) -> None:
    """Record that the inspection's answers changed, so a finalize that read
    them before cannot fix a stale score."""
    inspection.updated_at = timezone.now()
    Inspection.objects.filter(pk=inspection.pk).update(
        updated_at=inspection.updated_at, **fields
    )


def _require_editable(actor, inspection: Inspection) -> None:
    if not can_perform(actor, inspection):
        raise PermissionDenied
    if inspection.is_final:
        raise ValidationError(_("This inspection is final and can no longer change."))


def repeat_keys(inspection: Inspection) -> set:
    """Item keys deducted at the unit's previous official inspection with the same
    checklist whose problem is still not closed."""
    if not inspection.is_official:
        return set()
    previous = (
        Inspection.objects.official()
        .final()
        .filter(unit_id=inspection.unit_id, checklist__code=inspection.checklist.code)
        .exclude(pk=inspection.pk)
        .filter(inspected_on__lte=inspection.inspected_on)
        .order_by("-inspected_on", "-finalized_at")
        .values("pk")[:1]
    )
    return set(
        ItemResult.objects.filter(inspection=Subquery(previous), outcome="deduct")
        .exclude(problem__state="closed")
        .values_list("item__key", flat=True)
    )


def _apply_points(result: ItemResult, repeats: set) -> None:
    item = result.item
    result.is_repeat = result.outcome == "deduct" and item.key in repeats
    result.points = scoring.item_points(
        max_points=item.max_points,
        deduction=item.deduction,
        cap=item.cap,
        outcome=result.outcome,
        occurrences=result.occurrences,
        repeat=result.is_repeat,
    )


@transaction.atomic
def item_answer(
    *, actor, result: ItemResult, outcome: str, occurrences: int = 0, note: str = ""
) -> ItemResult:
    """Save one answer as it is given."""
    inspection = result.inspection = _locked(result.inspection_id)
    _require_editable(actor, inspection)
    if outcome not in ItemResult.Outcome.values:
        raise ValidationError({"outcome": _("Choose pass, deduct or not applicable.")})
    if outcome == "deduct":
        if occurrences < 1:
            raise ValidationError(
                {"occurrences": _("Count at least one occurrence to deduct.")}
            )
    else:
        occurrences = 0
    result.outcome, result.occurrences, result.note = outcome, occurrences, note[:500]
    _apply_points(result, repeat_keys(inspection))
    result.save()
    inspection.inspector_id = inspection.inspector_id or actor.pk
    _touch(inspection, inspector_id=inspection.inspector_id)
    event_record(
        actor=actor,
        action="inspection.answer",
        target=inspection,
        after={
            "item": result.item.criterion[:60],
            "outcome": outcome,
            "occurrences": occurrences,
        },
    )
    return result


@decodes_photos_first
@transaction.atomic
def item_photo_add(*, actor, result: ItemResult, upload):
    inspection = result.inspection = _locked(result.inspection_id)
    _require_editable(actor, inspection)
    photo = photo_store(
        actor=actor,
        center=inspection.center,
        unit=inspection.unit,
        upload=upload,
        caption=result.item.criterion[:200],
    )
    result.photos.add(photo)
    _touch(inspection)
    return photo


@transaction.atomic
def item_photo_remove(*, actor, result: ItemResult, photo) -> None:
    result.inspection = _locked(result.inspection_id)
    _require_editable(actor, result.inspection)
    result.photos.remove(photo)
    _touch(result.inspection)
    event_record(
        actor=actor,
        action="inspection.photo_remove",
        target=result.inspection,
        before={"photo": str(photo.public_id)},
    )


@transaction.atomic
def items_pass_remaining(*, actor, inspection: Inspection) -> int:
    """Mark every item not yet checked as passed."""
    inspection = _locked(inspection.pk)
    _require_editable(actor, inspection)
    count = inspection.results.filter(outcome="pending").update(
        outcome="pass", occurrences=0, points=0, updated_at=timezone.now()
    )
    _touch(inspection)
    event_record(
        actor=actor,
        action="inspection.pass_remaining",
        target=inspection,
        after={"items": count},
    )
    return count


def finalize_blockers(inspection: Inspection) -> list[str]:
    """Why an inspection cannot be finalized yet, in words for the page."""
    reasons = []
    if inspection.round_id and inspection.tier > 0:
        open_before = Inspection.objects.filter(
            round_id=inspection.round_id, tier__lt=inspection.tier, state="draft"
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
            round_id=inspection.round_id, tier__lt=inspection.tier, state="draft"
        )
        .order_by("tier", "unit_label")
        .values("public_id", "unit_label", "tier")
    )


def _answer_blockers(results) -> list[str]:
    reasons = []
    pending = [r for r in results if r.outcome == "pending"]
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
        if r.outcome == "deduct" and r.item.photo_required and not r.photo_count:
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
    from gembahall.rectification.services import problems_from_inspection, unit_owner

    if not loaded:
        inspection = Inspection.objects.select_related(*FINALIZE_RELATED).get(
            pk=inspection.pk
        )
    _require_editable(actor, inspection)
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
        _apply_points(result, repeats)
        if (result.is_repeat, result.points) != before:
            changed.append(result)
    deductions = [r for r in results if r.outcome == "deduct"]
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
    photos = (
        list(
            ItemResult.photos.through.objects.filter(
                itemresult__in=with_photos
            ).values_list("itemresult_id", "photo_id")
        )
        if with_photos
        else []
    )
    with transaction.atomic():
        written = Inspection.objects.filter(
            pk=inspection.pk, state="draft", updated_at=inspection.updated_at
        ).update(updated_at=final["finalized_at"], **final)
        if not written:
            raise ValidationError(
                _(
                    "The inspection changed while it was being finalized; look at it "
                    "again and finalize it then."
                )
            )
        if changed:
            ItemResult.objects.bulk_update(changed, ["is_repeat", "points"])
        for field, value in final.items():
            setattr(inspection, field, value)
        problems = problems_from_inspection(
            inspection=inspection, results=deductions, owner=owner, photos=photos
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


@transaction.atomic
def witness_set(*, actor, inspection: Inspection, witness: Person) -> Inspection:
    """Name a person of the inspected unit to confirm the inspection."""
    inspection = _locked(inspection.pk)
    _require_editable(actor, inspection)
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
