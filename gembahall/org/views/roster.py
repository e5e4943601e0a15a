"""Roster upload, preview and import pages."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.imports import read_progress
from gembahall.core.models import Job
from gembahall.core.permissions import rule

from ..forms import (
    RosterUploadForm,
)
from ..roster.guide import RULES, guide_columns
from ..services import roster_job_start


@rule("org.import")
@require_GET
def roster_sample(request):
    path = settings.BASE_DIR / "docs" / "roster-sample.xlsx"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="roster-sample.xlsx"
    )


@rule("org.import")
@require_http_methods(["GET", "POST"])
def roster_import(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = roster_job_start(
            actor=request.person,
            center=request.center,
            upload=form.cleaned_data["file"],
        )
        return redirect("org:import_job", job=job.public_id)
    ctx = {"form": form, "columns": guide_columns(), "rules": RULES}
    return render(request, "org/roster_import.html", ctx)


def _visible_import_job(request, job):
    return get_object_or_404(
        Job.objects.visible_to(request.person)
        .filter(kind="roster_import")
        .select_related("center"),
        public_id=job,
    )


@rule("org.import")
@require_GET
def roster_import_job(request, job):
    job = _visible_import_job(request, job)
    if not request.person.has_perm("org.import", center=job.center):
        raise Http404
    if job.state == Job.State.RUNNING:
        job.done = read_progress(job)
    template = "org/roster_job.html#progress" if request.htmx else "org/roster_job.html"
    return render(request, template, {"job": job})


@rule("org.import")
@require_POST
def roster_import_confirm(request, job):
    job = _visible_import_job(request, job)
    if not request.person.has_perm("org.import", center=job.center):
        raise Http404
    if not job.params.get("dry_run") or job.state != Job.State.DONE:
        messages.error(request, _("Only a preview without errors can be imported."))
        return redirect("org:import_job", job=job.public_id)
    new_job = roster_job_start(
        actor=request.person, center=job.center, path=job.params["path"]
    )
    return redirect("org:import_job", job=new_job.public_id)
