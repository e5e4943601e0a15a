"""Performing an inspection on a phone: answers saved as they are given,
evidence photos, finalizing, the witness."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.pages import form_errors, run_action
from gembahall.core.permissions import SIGNED_IN, rule

from .. import queries, scoring, services
from ..forms import AnswerForm, PhotoForm, StartForm, WitnessForm
from ..models import Inspection, ItemResult


def visible_inspection(request, inspection) -> Inspection:
    return get_object_or_404(
        Inspection.objects.visible_to(request.person).select_related(
            "center",
            "unit",
            "unit__head",
            "checklist",
            "round",
            "inspector",
            "witness",
            "by_unit",
        ),
        public_id=inspection,
    )


def _result(request, inspection, result) -> ItemResult:
    inspection = visible_inspection(request, inspection)
    result = get_object_or_404(inspection.results, public_id=result)
    result.inspection = inspection
    return result


def _items_context(request, inspection: Inspection) -> dict:
    """What the item cards and the running score need."""
    results = queries.inspection_results(inspection)
    editable = not inspection.is_final and services.can_perform(
        request.person, inspection
    )
    return {
        "inspection": inspection,
        "results": results,
        "editable": editable,
        "running": queries.running_score(results),
        "multiplier": scoring.repeat_multiplier().normalize(),
        "repeats": services.repeat_keys(inspection) if editable else set(),
    }


@rule(SIGNED_IN)
@require_GET
def inspection(request, inspection):
    inspection = visible_inspection(request, inspection)
    ctx = _items_context(request, inspection)
    if ctx["editable"]:
        ctx["witness_form"] = WitnessForm(unit=inspection.unit)
        ctx["waiting"] = services.waiting_for(inspection)
    if inspection.is_final:
        ctx["problems"] = inspection.unit.problems.filter(
            item_result__inspection=inspection
        )
    ctx["can_confirm"] = (
        inspection.is_final
        and inspection.witness_id == request.person.pk
        and inspection.witness_confirmed_at is None
    )
    return render(request, "inspections/inspection.html", ctx)


def _item_response(request, result: ItemResult, error: str = ""):
    """The item's card again, with the running score swapped in beside it."""
    inspection = result.inspection
    ctx = _items_context(request, inspection)
    fresh = next(r for r in ctx["results"] if r.pk == result.pk)
    ctx.update({"r": fresh, "error": error, "oob": True})
    return render(request, "inspections/inspection.html#item", ctx)


@rule(SIGNED_IN)
@require_POST
def answer(request, inspection, result):
    result = _result(request, inspection, result)
    form = AnswerForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose pass, deduct or not applicable.")
    else:
        data = form.cleaned_data
        try:
            services.item_answer(
                actor=request.person,
                result=result,
                outcome=data["outcome"],
                occurrences=data["occurrences"] or 0,
                note=data["note"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _item_response(request, result, error)


@rule(SIGNED_IN)
@require_POST
def photo_add(request, inspection, result):
    result = _result(request, inspection, result)
    form = PhotoForm(request.POST, request.FILES)
    error = ""
    if not form.is_valid():
        error = _("Choose a photo to upload.")
    else:
        try:
            services.item_photo_add(
                actor=request.person, result=result, upload=form.cleaned_data["photo"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _item_response(request, result, error)


@rule(SIGNED_IN)
@require_POST
def photo_remove(request, inspection, result, photo):
    result = _result(request, inspection, result)
    photo = get_object_or_404(result.photos.all(), public_id=photo)
    error = ""
    try:
        services.item_photo_remove(actor=request.person, result=result, photo=photo)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _item_response(request, result, error)


@rule(SIGNED_IN)
@require_POST
def pass_remaining(request, inspection):
    inspection = visible_inspection(request, inspection)
    return run_action(
        request,
        lambda: services.items_pass_remaining(
            actor=request.person, inspection=inspection
        ),
        done=_("The remaining items are marked as passed."),
        then=inspection.get_absolute_url(),
    )


@rule(SIGNED_IN)
@require_POST
def finalize(request, inspection):
    # Read once, with what the service needs; it reads the answers itself.
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.person).select_related(
            *services.FINALIZE_RELATED
        ),
        public_id=inspection,
    )
    return run_action(
        request,
        lambda: services.inspection_finalize(
            actor=request.person, inspection=inspection, loaded=True
        ),
        done=_("Inspection finalized; its deductions are now problems to fix."),
        then=inspection.get_absolute_url(),
    )


@rule(SIGNED_IN)
@require_POST
def witness_set(request, inspection):
    inspection = visible_inspection(request, inspection)
    form = WitnessForm(request.POST, unit=inspection.unit)
    return run_action(
        request,
        lambda: services.witness_set(
            actor=request.person,
            inspection=inspection,
            witness=form.cleaned_data["witness"],
        ),
        done=_("Witness named."),
        then=inspection.get_absolute_url(),
        form=form,
    )


@rule(SIGNED_IN)
@require_POST
def witness_confirm(request, inspection):
    inspection = visible_inspection(request, inspection)
    return run_action(
        request,
        lambda: services.witness_confirm(actor=request.person, inspection=inspection),
        done=_("You confirmed the inspection."),
        then=inspection.get_absolute_url(),
    )


# Lazy: the page's title is translated per request, not once at import.
KINDS = {
    "official": ("inspections.perform", gettext_lazy("Ad hoc inspection")),
    "self": ("inspections.self", gettext_lazy("Self-inspection")),
    "cross": ("inspections.self", gettext_lazy("Cross-inspection")),
}


@rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def start(request, kind):
    if kind not in KINDS:
        raise Http404
    permission, title = KINDS[kind]
    person = request.person
    if not person.has_perm(permission):
        raise PermissionDenied
    form = StartForm(
        request.POST or None, center=request.center, kind=kind, own_unit=person.unit
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.inspection_start(
                actor=person,
                unit=form.cleaned_data["unit"],
                checklist=form.cleaned_data["checklist"],
                kind=kind,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Inspection started."))
            return redirect(created)
    ctx = {"form": form, "title": title, "back_url": reverse("inspections:index")}
    return render(request, "inspections/start.html", ctx)
