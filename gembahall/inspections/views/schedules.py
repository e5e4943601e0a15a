"""Editing a plan: its units, checklists, inspectors and schedule."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gembahall.core.pages import form_page
from gembahall.core.permissions import rule

from .. import planning
from ..forms import PlanForm
from ..models import InspectionPlan


@rule("inspections.plan")
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan):
    plan = get_object_or_404(
        InspectionPlan.objects.visible_to(request.person), public_id=plan
    )
    request.person.require("inspections.plan", center=plan.center)
    form = PlanForm(request.POST or None, center=plan.center, instance=plan)

    def apply(data):
        return planning.plan_update(actor=request.person, plan=plan, **data)

    return form_page(
        request,
        form,
        apply,
        done=_("Plan saved."),
        title=_("Edit the plan"),
        back=plan,
    )
