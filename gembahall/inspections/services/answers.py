"""Performing an inspection: answers, evidence photos and the points they
cost, each saved as it is given on the inspection's locked row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.photos import decodes_photos_first, photo_store

from .. import scoring
from ..models import Inspection, ItemResult


def can_perform(person, inspection: Inspection) -> bool:
    if inspection.is_official:
        return person.has_perm("inspections.perform", center=inspection.center)
    return (
        inspection.by_unit_id is not None
        and person.has_perm("inspections.self", unit=inspection.by_unit)
        and inspection.inspector_id in (None, person.pk)
    )


def locked(inspection_id: int) -> Inspection:
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


def require_editable(actor, inspection: Inspection) -> None:
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
        ItemResult.objects.filter(
            inspection=Subquery(previous), outcome=ItemResult.Outcome.DEDUCT
        )
        .exclude(problem__state="closed")
        .values_list("item__key", flat=True)
    )


def apply_points(result: ItemResult, repeats: set) -> None:
    item = result.item
    result.is_repeat = (
        result.outcome == ItemResult.Outcome.DEDUCT and item.key in repeats
    )
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
    inspection = result.inspection = locked(result.inspection_id)
    require_editable(actor, inspection)
    if outcome not in ItemResult.Outcome.values:
        raise ValidationError({"outcome": _("Choose pass, deduct or not applicable.")})
    if outcome == ItemResult.Outcome.DEDUCT:
        if occurrences < 1:
            raise ValidationError(
                {"occurrences": _("Count at least one occurrence to deduct.")}
            )
    else:
        occurrences = 0
    result.outcome, result.occurrences, result.note = outcome, occurrences, note[:500]
    apply_points(result, repeat_keys(inspection))
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
    inspection = result.inspection = locked(result.inspection_id)
    require_editable(actor, inspection)
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
    result.inspection = locked(result.inspection_id)
    require_editable(actor, result.inspection)
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
    inspection = locked(inspection.pk)
    require_editable(actor, inspection)
    count = inspection.results.filter(outcome=ItemResult.Outcome.PENDING).update(
        outcome=ItemResult.Outcome.PASS,
        occurrences=0,
        points=0,
        updated_at=timezone.now(),
    )
    _touch(inspection)
    event_record(
        actor=actor,
        action="inspection.pass_remaining",
        target=inspection,
        after={"items": count},
    )
    return count
