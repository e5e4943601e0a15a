"""Catalogue pages for whoever manages it: edit an item, and import a
province's export (upload, preview, import)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.models import Job
from gembahall.core.pages import (
    form_errors,
    form_page,
    import_job_of,
    import_job_page,
)
from gembahall.core.permissions import rule

from ..models import ServiceItem
from .forms import CatalogueUploadForm, ServiceItemForm
from .services import catalogue_job_start, service_item_update

SAMPLE = settings.BASE_DIR / "docs" / "catalogue-sample.csv"


def _managed_item(request, service_item) -> ServiceItem:
    item = get_object_or_404(
        ServiceItem.objects.visible_to(request.person).select_related(
            "center", "department"
        ),
        public_id=service_item,
    )
    if not request.person.has_perm("service.catalogue", center=item.center):
        raise Http404
    return item


@rule("service.catalogue")
@require_http_methods(["GET", "POST"])
def item_edit(request, service_item):
    item = _managed_item(request, service_item)
    form = ServiceItemForm(request.POST or None, item=item)
    return form_page(
        request,
        form,
        lambda data: service_item_update(actor=request.person, item=item, **data),
        done=_("The item is saved; its one-time notice prints the new text."),
        title=_("Edit %(item)s") % {"item": item.name},
        back=item,
    )


@rule("service.catalogue")
@require_GET
def catalogue_sample(request):
    return FileResponse(
        SAMPLE.open("rb"), as_attachment=True, filename="catalogue-sample.csv"
    )


@rule("service.catalogue")
@require_http_methods(["GET", "POST"])
def catalogue_upload(request):
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = catalogue_job_start(
                actor=request.person,
                center=request.center,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("casework:catalogue_job", catalogue_job=job.public_id)
    return render(request, "casework/catalogue_import.html", {"form": form})


def _job(request, catalogue_job) -> Job:
    return import_job_of(
        request,
        catalogue_job,
        kind="catalogue_import",
        perm="service.catalogue",
        center=request.center,
    )


@rule("service.catalogue")
@require_GET
def catalogue_job(request, catalogue_job):
    job = _job(request, catalogue_job)
    return import_job_page(request, job, "casework/catalogue_job.html")


@rule("service.catalogue")
@require_POST
def catalogue_confirm(request, catalogue_job):
    job = _job(request, catalogue_job)
    if not job.params.get("dry_run") or job.state != Job.State.DONE:
        messages.error(request, _("Only a preview without errors can be imported."))
        return redirect("casework:catalogue_job", catalogue_job=job.public_id)
    new_job = catalogue_job_start(
        actor=request.person, center=job.center, path=job.params["path"]
    )
    return redirect("casework:catalogue_job", catalogue_job=new_job.public_id)
