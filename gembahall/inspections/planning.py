"""Planning inspections: plans and versioned checklists."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record

from .models import Checklist, ChecklistItem, InspectionPlan
from .services import latest_checklist


@transaction.atomic
def plan_create(
    *,
    actor,
    center,
    name: str,
    cadence: str,
    checklist_code: str,
    office_checklist_code: str = "",
    target_kinds=(),
    units=(),
    inspectors=(),
    **schedule,
) -> InspectionPlan:
    actor.require("inspections.plan", center=center)
    plan = InspectionPlan(center=center)
    _plan_fill(
        plan,
        name=name,
        cadence=cadence,
        checklist_code=checklist_code,
        office_checklist_code=office_checklist_code,
        target_kinds=target_kinds,
        units=units,
        **schedule,
    )
    plan.save()
    plan.units.set(units)
    plan.inspectors.set(inspectors)
    event_record(actor=actor, action="plan.create", target=plan)
    return plan


PLAN_FIELDS = (
    "name",
    "cadence",
    "checklist_code",
    "office_checklist_code",
    "target_kinds",
    "weekdays",
    "day_of_month",
    "window_days",
)


@transaction.atomic
def plan_update(
    *, actor, plan: InspectionPlan, units=None, inspectors=None, **fields
) -> InspectionPlan:
    """Change a plan (units and inspectors left out stay as they are); rounds
    already opened keep theirs, the plan's next round follows the change."""
    actor.require("inspections.plan", center=plan.center)
    before = {f: getattr(plan, f) for f in PLAN_FIELDS}
    if units is None:
        units = list(plan.units.all())
    _plan_fill(plan, units=units, **{**before, **fields})
    plan.save()
    plan.units.set(units)
    if inspectors is not None:
        plan.inspectors.set(inspectors)
    after = {f: getattr(plan, f) for f in PLAN_FIELDS}
    event_record(
        actor=actor,
        action="plan.update",
        target=plan,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return plan


def _plan_fill(plan: InspectionPlan, *, units, **fields) -> None:
    latest_checklist(plan.center, fields["checklist_code"])
    if fields.get("office_checklist_code"):
        latest_checklist(plan.center, fields["office_checklist_code"])
    if not fields.get("target_kinds") and not units:
        raise ValidationError(
            {"target_kinds": _("Choose unit kinds or units to inspect.")}
        )
    if not set(fields.get("weekdays", ())) <= set(range(7)):
        raise ValidationError({"weekdays": _("Choose weekdays from Monday to Sunday.")})
    for field, value in fields.items():
        is_list = field in ("target_kinds", "weekdays")
        setattr(plan, field, sorted(value) if is_list else value)
    plan.full_clean(exclude=["center"], validate_constraints=False)


ITEM_FIELDS = (
    "chapter",
    "section",
    "criterion",
    "standard",
    "max_points",
    "deduction",
    "cap",
    "method",
    "photo_required",
    "severity",
    "five_s",
    "domain",
    "unit_kinds",
)


def points_total_check(checklist: Checklist) -> None:
    """A checklist with a stated total has items whose points add up to it."""
    if checklist.total_points is None:
        return
    total = checklist.items.aggregate(total=Sum("max_points"))["total"] or 0
    if total != checklist.total_points:
        raise ValidationError(points_total_message(total, checklist.total_points))


def points_total_message(points, total) -> str:
    return _("The items' points add up to %(sum)s, not the stated total %(total)s.") % {
        "sum": f"{points:g}",
        "total": f"{total:g}",
    }


def _require_checklist_draft(checklist: Checklist) -> None:
    if checklist.state != Checklist.State.DRAFT:
        raise ValidationError(_("Only a draft checklist can be changed."))


@transaction.atomic
def checklist_draft(*, actor, checklist: Checklist) -> Checklist:
    """The next version of a checklist as a draft, items copied with their keys
    (so repeats are still found across versions); an existing draft is returned."""
    actor.require("inspections.plan", center=checklist.center)
    family = Checklist.objects.filter(center=checklist.center, code=checklist.code)
    draft = family.filter(state=Checklist.State.DRAFT).first()
    if draft:
        return draft
    latest = family.order_by("-number").first()
    draft = Checklist.objects.create(
        center=checklist.center,
        code=checklist.code,
        number=latest.number + 1,
        title=latest.title,
        target=latest.target,
        total_points=latest.total_points,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            center=draft.center,
            checklist=draft,
            key=item.key,
            position=item.position,
            **{f: getattr(item, f) for f in ITEM_FIELDS},
        )
        for item in latest.items.all()
    )
    event_record(actor=actor, action="checklist.draft", target=draft)
    return draft


@transaction.atomic
def checklist_item_save(
    *, actor, checklist: Checklist, item: ChecklistItem | None = None, **fields
) -> ChecklistItem:
    """Change an item of a draft checklist, or add one at the end."""
    actor.require("inspections.plan", center=checklist.center)
    _require_checklist_draft(checklist)
    if item is None:
        last = checklist.items.order_by("-position").first()
        item = ChecklistItem(
            center=checklist.center,
            checklist=checklist,
            position=last.position + 1 if last else 1,
        )
    before = {f: str(getattr(item, f, "")) for f in ITEM_FIELDS} if item.pk else None
    for field in ITEM_FIELDS:
        if field in fields:
            setattr(item, field, fields[field])
    if fields.get("cap") is None:
        item.cap = min(item.cap or item.max_points, item.max_points)
    item.full_clean(exclude=["checklist", "center"])
    item.save()
    _renumber(checklist)
    event_record(
        actor=actor,
        action="checklist.item",
        target=checklist,
        before=before,
        after={f: str(getattr(item, f)) for f in ITEM_FIELDS},
    )
    return item


def _renumber(checklist: Checklist) -> None:
    """Number the items in chapter order, so an item added at the end, or moved
    to another chapter, is inspected and listed with its chapter."""
    items = list(checklist.items.order_by("chapter", "position", "id"))
    for number, item in enumerate(items, start=1):
        item.position = number
    ChecklistItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def checklist_item_remove(*, actor, item: ChecklistItem) -> None:
    checklist = item.checklist
    actor.require("inspections.plan", center=checklist.center)
    _require_checklist_draft(checklist)
    event_record(
        actor=actor,
        action="checklist.item_remove",
        target=checklist,
        before={"criterion": item.criterion},
    )
    item.delete()
    _renumber(checklist)


@transaction.atomic
def checklist_publish(*, actor, checklist: Checklist) -> Checklist:
    """Publish a draft; earlier versions retire, and new rounds use this one."""
    actor.require("inspections.plan", center=checklist.center)
    _require_checklist_draft(checklist)
    if not checklist.items.exists():
        raise ValidationError(_("A checklist needs at least one item."))
    points_total_check(checklist)
    Checklist.objects.filter(
        center=checklist.center,
        code=checklist.code,
        state=Checklist.State.PUBLISHED,
    ).update(state=Checklist.State.RETIRED, updated_at=timezone.now())
    checklist.state = Checklist.State.PUBLISHED
    checklist.save(update_fields=["state", "updated_at"])
    event_record(actor=actor, action="checklist.publish", target=checklist)
    return checklist
