"""Checklist builder pages: new checklists and copies, settings, the order of
items, retiring, and Excel out and back in."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.imports import FileRejected
from gembahall.core.models import uuid7
from gembahall.core.pages import form_page, run_action
from gembahall.core.permissions import rule
from gembahall.core.xlsx import xlsx_response

from .. import builder
from ..builder_forms import ChecklistCopyForm, ChecklistForm, ChecklistImportForm
from ..models import Checklist
from ..workbook import COLUMNS, ChecklistImporter, checklist_workbook

SESSION_KEY = "checklist_import"


def _managed(request, checklist) -> Checklist:
    """A checklist the person sees and may manage; anything else is not found."""
    checklist = get_object_or_404(
        Checklist.objects.visible_to(request.person).select_related("center"),
        public_id=checklist,
    )
    if not request.person.has_perm("inspections.plan", center=checklist.center):
        raise Http404
    return checklist


@rule("inspections.plan")
@require_http_methods(["GET", "POST"])
def checklist_create(request):
    center = request.center
    form = ChecklistForm(request.POST or None)

    def apply(data):
        return builder.checklist_create(actor=request.person, center=center, **data)

    return form_page(
        request, form, apply, done=_("Checklist created."), title=_("New checklist")
    )


@rule("inspections.plan")
@require_http_methods(["GET", "POST"])
def checklist_copy(request):
    center = request.center
    form = ChecklistCopyForm(request.POST or None, person=request.person, center=center)

    def apply(data):
        return builder.checklist_copy(actor=request.person, center=center, **data)

    return form_page(
        request,
        form,
        apply,
        done=_("Checklist copied as a draft."),
        title=_("Copy a checklist"),
    )


@rule("inspections.plan")
@require_http_methods(["GET", "POST"])
def checklist_settings(request, checklist):
    checklist = _managed(request, checklist)
    form = ChecklistForm(request.POST or None, instance=checklist)

    def apply(data):
        return builder.checklist_settings_save(
            actor=request.person, checklist=checklist, **data
        )

    return form_page(
        request,
        form,
        apply,
        done=_("Checklist saved."),
        title=_("Checklist settings"),
        back=checklist,
    )


@rule("inspections.plan")
@require_POST
def checklist_order(request, checklist):
    checklist = _managed(request, checklist)
    numbers = {}
    for name, value in request.POST.items():
        if name.startswith("n-"):
            try:
                numbers[name.removeprefix("n-")] = max(0, min(int(value), 9999))
            except ValueError:
                continue
    return run_action(
        request,
        lambda: builder.checklist_items_order(
            actor=request.person, checklist=checklist, numbers=numbers
        ),
        done=_("Order saved."),
        then=checklist.get_absolute_url(),
    )


@rule("inspections.plan")
@require_POST
def checklist_retire(request, checklist):
    checklist = _managed(request, checklist)
    return run_action(
        request,
        lambda: builder.checklist_retire(actor=request.person, checklist=checklist),
        done=_("Checklist retired; inspections already made keep it."),
        # A draft is discarded on retiring, so its page is gone.
        then=reverse("inspections:checklists")
        if checklist.state == Checklist.State.DRAFT
        else checklist.get_absolute_url(),
    )


@rule("inspections.plan")
@require_GET
def checklist_export(request, checklist):
    checklist = _managed(request, checklist)
    name = f"checklist-{checklist.code}-v{checklist.number}.xlsx"
    return xlsx_response(checklist_workbook(checklist), name)


def _stored(upload) -> str:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid7()}.xlsx"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(target)


def _run(request, checklist, path, *, dry_run, publish):
    try:
        return ChecklistImporter(
            actor=request.person,
            checklist=checklist,
            path=Path(path),
            dry_run=dry_run,
            publish=publish,
        ).run()
    except FileRejected as error:
        messages.error(request, str(error))
        return None


@rule("inspections.plan")
@require_http_methods(["GET", "POST"])
def checklist_import(request, checklist):
    """Upload → preview of what changes (or every bad row) → import."""
    checklist = _managed(request, checklist)
    waiting = request.session.get(SESSION_KEY) or {}
    if request.method == "POST" and "confirm" in request.POST:
        if waiting.get("checklist") != str(checklist.public_id):
            messages.error(request, _("Upload the workbook again."))
            return redirect("inspections:checklist_import", checklist.public_id)
        request.session.pop(SESSION_KEY)
        report = _run(
            request,
            checklist,
            waiting["path"],
            dry_run=False,
            publish=waiting["publish"],
        )
        Path(waiting["path"]).unlink(missing_ok=True)
        if report is None or report.errors:
            messages.error(request, _("The workbook was not imported."))
            return redirect(checklist)
        if report.no_change:
            messages.info(request, _("The workbook has no change; nothing written."))
            return redirect(checklist)
        messages.success(
            request,
            _("Imported as version %(number)s.") % {"number": report.version},
        )
        return redirect(builder.version_of(checklist, report.version))
    form = ChecklistImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        path = _stored(form.cleaned_data["file"])
        publish = form.cleaned_data["publish"]
        report = _run(request, checklist, path, dry_run=True, publish=publish)
        if report is not None and not report.errors and not report.no_change:
            request.session[SESSION_KEY] = {
                "checklist": str(checklist.public_id),
                "path": path,
                "publish": publish,
            }
        else:
            Path(path).unlink(missing_ok=True)
    ctx = {
        "checklist": checklist,
        "form": form,
        "report": report,
        "columns": COLUMNS,
    }
    return render(request, "inspections/checklist_import.html", ctx)
