"""Building checklists: new ones, copies from the starter library or another
center, their settings, the order of their items, and retiring them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.standards.models import Standard

from .content import CONTENT, STARTER, _items
from .models import Checklist, ChecklistItem, InspectionPlan
from .planning import ITEM_FIELDS, _renumber, _require_checklist_draft


def starter_choices() -> list[tuple[str, str]]:
    """The starter library: (code, title) of each checklist that ships."""
    return [(code, title) for code, title, _target, _file in STARTER]


def _require_new_code(center, code: str) -> None:
    if Checklist.objects.filter(center=center, code=code).exists():
        raise ValidationError({"code": _("A checklist with this code exists.")})


@transaction.atomic
def checklist_create(
    *,
    actor,
    center,
    code: str,
    title: str,
    target: str,
    total_points: Decimal | None = Decimal(100),
) -> Checklist:
    """A new checklist: version 1, a draft without items."""
    actor.require("inspections.plan", center=center)
    _require_new_code(center, code)
    checklist = Checklist.objects.create(
        center=center,
        code=code,
        title=title,
        target=target,
        total_points=total_points,
    )
    event_record(actor=actor, action="checklist.create", target=checklist)
    return checklist


@transaction.atomic
def checklist_settings_save(
    *, actor, checklist: Checklist, title: str, target: str, total_points
) -> Checklist:
    """Change a draft's title, what it inspects and its stated total."""
    actor.require("inspections.plan", center=checklist.center)
    _require_checklist_draft(checklist)
    before = {
        "title": checklist.title,
        "target": checklist.target,
        "total_points": str(checklist.total_points),
    }
    checklist.title = title
    checklist.target = target
    checklist.total_points = total_points
    checklist.save(update_fields=["title", "target", "total_points", "updated_at"])
    event_record(
        actor=actor,
        action="checklist.settings",
        target=checklist,
        before=before,
        after={"title": title, "target": target, "total_points": str(total_points)},
    )
    return checklist


@transaction.atomic
def checklist_copy(
    *,
    actor,
    center,
    code: str,
    title: str,
    source: Checklist | None = None,
    starter: str = "",
) -> Checklist:
    """A new draft checklist of `center` holding the items of another
    checklist (of any center the actor can see) or of a starter one. Items
    get new keys; a cited standard is the copying center's standard of the
    same code, or none when it has no such standard."""
    actor.require("inspections.plan", center=center)
    _require_new_code(center, code)
    standards = {s.code: s for s in Standard.objects.filter(center=center)}
    if source is not None:
        target, total = source.target, source.total_points
    else:
        found = [s for s in STARTER if s[0] == starter]
        if not found:
            raise ValidationError({"source": _("Choose a checklist to copy.")})
        target, total = found[0][2], None
    checklist = Checklist.objects.create(
        center=center, code=code, title=title, target=target, total_points=total
    )
    if source is not None:
        items = [
            ChecklistItem(
                center=center,
                checklist=checklist,
                position=item.position,
                **{f: getattr(item, f) for f in ITEM_FIELDS if f != "standard"},
                standard=standards.get(item.standard.code) if item.standard else None,
            )
            for item in source.items.select_related("standard").order_by("position")
        ]
    else:
        items = _items(checklist, CONTENT / found[0][3], standards)
    ChecklistItem.objects.bulk_create(items)
    if checklist.total_points is None:
        checklist.total_points = sum((i.max_points for i in items), Decimal(0))
        checklist.save(update_fields=["total_points"])
    event_record(
        actor=actor,
        action="checklist.copy",
        target=checklist,
        after={
            "from": f"{source.center} · {source}" if source else starter,
            "items": len(items),
        },
    )
    return checklist


@transaction.atomic
def checklist_items_order(*, actor, checklist: Checklist, numbers: dict) -> None:
    """Put a draft's items in the order of the numbers given (item public id →
    number); items keep their chapter's place, so this orders them within
    their chapter."""
    actor.require("inspections.plan", center=checklist.center)
    _require_checklist_draft(checklist)
    items = list(checklist.items.all())
    for item in items:
        item.position = numbers.get(str(item.public_id), item.position)
    ChecklistItem.objects.bulk_update(items, ["position"])
    _renumber(checklist)
    event_record(actor=actor, action="checklist.order", target=checklist)


@transaction.atomic
def checklist_retire(*, actor, checklist: Checklist) -> int:
    """Retire a checklist: its published version leaves use (running
    inspections keep it) and an open draft is discarded. Refused while an
    active plan inspects with it."""
    actor.require("inspections.plan", center=checklist.center)
    center, code = checklist.center, checklist.code
    plans = InspectionPlan.objects.filter(center=center, is_active=True).filter(
        Q(checklist_code=code) | Q(office_checklist_code=code)
    )
    names = sorted(plans.values_list("name", flat=True))
    if names:
        raise ValidationError(
            _("Active plans use this checklist: %(plans)s.")
            % {"plans": "、".join(names)}
        )
    family = Checklist.objects.filter(center=center, code=code)
    family.filter(state=Checklist.State.DRAFT, inspections__isnull=True).delete()
    count = family.filter(state=Checklist.State.PUBLISHED).update(
        state=Checklist.State.RETIRED, updated_at=timezone.now()
    )
    event_record(actor=actor, action="checklist.retire", target=checklist)
    return count


def version_of(checklist: Checklist, number: int) -> Checklist:
    return Checklist.objects.get(
        center=checklist.center, code=checklist.code, number=number
    )
