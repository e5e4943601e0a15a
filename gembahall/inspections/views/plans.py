"""The inspections home, plans and their rounds, and checklists."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.pages import form_errors, form_page, run_action
from gembahall.core.permissions import SIGNED_IN, rule
from gembahall.org.models import Unit
from gembahall.standards.queries import season_swaps

from .. import planning, schedules, services
from ..forms import ChecklistItemForm, PlanForm, RoundForm
from ..models import Checklist, ChecklistItem, Inspection, InspectionPlan, Round

LIST_FIELDS = (
    "public_id",
    "unit_label",
    "kind",
    "state",
    "tier",
    "inspected_on",
    "score",
    "checklist__title",
    "round__title",
    "witness_id",
    "witness_confirmed_at",
)


@rule(SIGNED_IN)
@require_GET
def index(request):
    """What a person has to do and what they may read: open inspections to
    perform, witness confirmations awaited, and the latest results."""
    person, center = request.person, request.center
    visible = Inspection.objects.visible_to(person).filter(center=center)
    state = request.GET.get("state", "")
    state = state if state in Inspection.State.values else ""
    listed = visible.filter(state=state) if state else visible
    if request.GET.get("mine"):
        listed = listed.filter(inspector=person)
    page = Paginator(
        listed.order_by("-inspected_on", "tier", "unit_label").values(*LIST_FIELDS), 25
    ).get_page(request.GET.get("page"))
    kinds = dict(Inspection.Kind.choices)
    states = dict(Inspection.State.choices)
    for row in page:
        row["kind_label"] = kinds[row["kind"]]
        row["state_label"] = states[row["state"]]
    ctx = {
        "page": page,
        "state": state,
        "to_confirm": visible.filter(
            witness=person,
            state=Inspection.State.FINAL,
            witness_confirmed_at__isnull=True,
        ).values("public_id", "unit_label", "inspected_on"),
        "can_plan": person.has_perm("inspections.plan", center=center),
        "can_perform": person.has_perm("inspections.perform", center=center),
        "can_self": person.unit_id is not None
        and person.has_perm("inspections.self", unit=person.unit),
        "rounds": Round.objects.filter(center=center)
        .annotate(
            open=Count(
                "inspections", filter=Q(inspections__state=Inspection.State.DRAFT)
            ),
            total=Count("inspections"),
        )
        .order_by("-starts_on", "-id")[:6]
        if person.has_perm("inspections.results", center=center)
        else [],
    }
    return render(request, "inspections/index.html", ctx)


@rule("inspections.results")
@require_GET
def plans(request):
    rows = (
        InspectionPlan.objects.filter(center=request.center)
        .annotate(round_count=Count("rounds"))
        .order_by("-is_active", "name")
    )
    ctx = {
        "plans": rows,
        "can_plan": request.person.has_perm("inspections.plan", center=request.center),
    }
    return render(request, "inspections/plans.html", ctx)


@rule("inspections.plan")
@require_http_methods(["GET", "POST"])
def plan_create(request):
    center = request.center
    form = PlanForm(request.POST or None, center=center)

    def apply(data):
        return planning.plan_create(actor=request.person, center=center, **data)

    return form_page(
        request, form, apply, done=_("Plan saved."), title=_("New inspection plan")
    )


@rule("inspections.results")
@require_http_methods(["GET", "POST"])
def plan(request, plan):
    plan = get_object_or_404(
        InspectionPlan.objects.visible_to(request.person), public_id=plan
    )
    can_plan = request.person.has_perm("inspections.plan", center=plan.center)
    if request.method == "POST" and not can_plan:
        raise PermissionDenied
    form = RoundForm(request.POST or None) if can_plan else None
    if request.method == "POST" and form.is_valid():
        try:
            started = services.round_start(
                actor=request.person, plan=plan, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Round started."))
            return redirect(started)
    rounds = plan.rounds.annotate(
        open=Count("inspections", filter=Q(inspections__state=Inspection.State.DRAFT)),
        total=Count("inspections"),
    ).order_by("-starts_on", "-id")
    ctx = {
        "plan": plan,
        "form": form,
        "page": Paginator(rounds, 20).get_page(request.GET.get("page")),
        "targets": services.plan_targets(plan),
        "schedule": schedules.schedule_summary(plan, timezone.localdate()),
    }
    return render(request, "inspections/plan.html", ctx)


@rule("inspections.results")
@require_GET
def round_detail(request, round):
    round = get_object_or_404(
        Round.objects.visible_to(request.person).select_related("plan"),
        public_id=round,
    )
    inspections = round.inspections.select_related("inspector").order_by(
        "tier", "unit_label"
    )
    ctx = {"round": round, "inspections": inspections, "tiers": Inspection.Tier}
    return render(request, "inspections/round.html", ctx)


@rule(SIGNED_IN)
@require_GET
def checklists(request):
    rows = (
        Checklist.objects.filter(center=request.center)
        .annotate(item_count=Count("items"))
        .order_by("code", "-number")
    )
    ctx = {
        "checklists": rows,
        "can_edit": request.person.has_perm("inspections.plan", center=request.center),
    }
    return render(request, "inspections/checklists.html", ctx)


def _checklist(request, checklist) -> Checklist:
    return get_object_or_404(
        Checklist.objects.visible_to(request.person).select_related("center"),
        public_id=checklist,
    )


@rule(SIGNED_IN)
@require_GET
def checklist(request, checklist):
    checklist = _checklist(request, checklist)
    items = list(checklist.items.select_related("standard").order_by("position"))
    swaps = season_swaps(checklist.center, timezone.localdate())
    kinds = dict(Unit.Kind.choices)
    for item in items:
        item.in_force = swaps.get(item.standard_id)
        item.kind_labels = [kinds.get(k, k) for k in item.unit_kinds]
    family = Checklist.objects.filter(center=checklist.center, code=checklist.code)
    ctx = {
        "checklist": checklist,
        "items": items,
        "versions": family.order_by("-number"),
        "can_edit": request.person.has_perm(
            "inspections.plan", center=checklist.center
        ),
        "draft": family.filter(state=Checklist.State.DRAFT).first(),
        "points": sum(item.max_points for item in items),
    }
    ctx["ordering"] = ctx["can_edit"] and checklist.state == Checklist.State.DRAFT
    return render(request, "inspections/checklist.html", ctx)


@rule("inspections.plan")
@require_POST
def checklist_draft(request, checklist):
    checklist = _checklist(request, checklist)
    draft = planning.checklist_draft(actor=request.person, checklist=checklist)
    return redirect(draft)


@rule("inspections.plan")
@require_POST
def checklist_publish(request, checklist):
    checklist = _checklist(request, checklist)
    return run_action(
        request,
        lambda: planning.checklist_publish(actor=request.person, checklist=checklist),
        done=_("Checklist published; new rounds use this version."),
        then=checklist.get_absolute_url(),
    )


def _item(request, item) -> ChecklistItem:
    return get_object_or_404(
        ChecklistItem.objects.filter(
            checklist__in=Checklist.objects.visible_to(request.person)
        ).select_related("checklist", "checklist__center"),
        public_id=item,
    )


def _item_page(request, checklist, item=None):
    form = ChecklistItemForm(
        request.POST or None, instance=item, center=checklist.center
    )

    def apply(data):
        planning.checklist_item_save(
            actor=request.person, checklist=checklist, item=item, **data
        )
        return checklist

    title = _("Edit the item") if item else _("New item")
    return form_page(
        request, form, apply, done=_("Item saved."), title=title, back=checklist
    )


@rule("inspections.plan")
@require_http_methods(["GET", "POST"])
def checklist_item_add(request, checklist):
    return _item_page(request, _checklist(request, checklist))


@rule("inspections.plan")
@require_http_methods(["GET", "POST"])
def checklist_item_edit(request, item):
    item = _item(request, item)
    return _item_page(request, item.checklist, item)


@rule("inspections.plan")
@require_POST
def checklist_item_remove(request, item):
    item = _item(request, item)
    return run_action(
        request,
        lambda: planning.checklist_item_remove(actor=request.person, item=item),
        done=_("Item removed."),
        then=item.checklist.get_absolute_url(),
    )
