"""Starting inspections: a round over a plan's units, or one inspection
outside a round (ad hoc, a window's self-inspection, a cross-inspection)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.org.models import Unit

from ..models import Checklist, Inspection, InspectionPlan, ItemResult, Round

TIER_OF_KIND = {"leadership": 0, "office": 1}


def tier_of(unit: Unit) -> int:
    return TIER_OF_KIND.get(unit.kind, Inspection.Tier.WINDOW)


def latest_checklist(center, code: str) -> Checklist:
    checklist = (
        Checklist.objects.filter(
            center=center, code=code, state=Checklist.State.PUBLISHED
        )
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
        if item.applies_to(unit.kind)
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
