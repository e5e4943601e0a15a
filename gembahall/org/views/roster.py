"""Roster upload, preview and import pages."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.models import Job
from gembahall.core.pages import import_job_of, import_job_page
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


@rule("org.import")
@require_GET
def roster_import_job(request, job):
    job = import_job_of(request, job, kind="roster_import", perm="org.import")
    return import_job_page(request, job, "org/roster_job.html")


@rule("org.import")
@require_POST
def roster_import_confirm(request, job):
    job = import_job_of(request, job, kind="roster_import", perm="org.import")
    if not job.params.get("dry_run") or job.state != Job.State.DONE:
        messages.error(request, _("Only a preview without errors can be imported."))
        return redirect("org:import_job", job=job.public_id)
    new_job = roster_job_start(
        actor=request.person, center=job.center, path=job.params["path"]
    )
    return redirect("org:import_job", job=new_job.public_id)
