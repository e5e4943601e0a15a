"""Page helpers every app's views share: a form page that runs a service, and a
one-click action."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .imports import read_progress
from .models import Job


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(request, form, apply, *, done: str, title: str, back=None):
    """Render a form; on a valid POST run `apply(cleaned_data)` (a service call
    returning the object to show next), or put the service's errors on the form.
    A form with file fields is sent as multipart."""
    if request.method == "POST" and form.is_valid():
        try:
            result = apply(form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(result)
    ctx = {
        "form": form,
        "title": title,
        "back": back,
        "multipart": form.is_multipart(),
    }
    return render(request, "form_page.html", ctx)


def run_action(request, apply, *, done: str, then, form=None):
    """Run a one-click action, or a small inline form's, and go back to `then`;
    problems are shown as messages there."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(then)
    try:
        apply()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(then)


def import_job_of(request, public_id, *, kind: str, perm: str, center=None) -> Job:
    """An import's job the person may see and act on (for `perm` at the job's
    center), of one kind and, when given, of one center; else 404."""
    jobs = Job.objects.visible_to(request.person).filter(kind=kind)
    if center is not None:
        jobs = jobs.filter(center=center)
    job = get_object_or_404(jobs.select_related("center"), public_id=public_id)
    if not request.person.has_perm(perm, center=job.center):
        raise Http404
    return job


def import_job_page(request, job: Job, template: str):
    """An import's page: its progress while it runs (the progress fragment
    alone for htmx polling), its report when done."""
    if job.state == Job.State.RUNNING:
        job.done = read_progress(job)
    return render(
        request, f"{template}#progress" if request.htmx else template, {"job": job}
    )
