"""Problem pages: the list, a spot report from a phone, one problem with its
before/after photos, history and the next step, and the dashboard."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.models import Event
from gembahall.core.pages import form_errors, form_page, run_action
from gembahall.core.permissions import SIGNED_IN, rule
from gembahall.core.xlsx import xlsx_response
from gembahall.org.models import Pairing

from .. import documents, queries, services
from ..forms import (
    DeadlineForm,
    ProblemFilterForm,
    ReportForm,
    ReturnForm,
    SubmitForm,
    VerifyForm,
)
from ..models import Problem, ProblemStep
from ..sources import origin_of

PAGE_SIZE = 30
LIST_CACHE_SECONDS = 600


def visible_problem(request, problem) -> Problem:
    return get_object_or_404(
        Problem.objects.visible_to(request.person).select_related(
            "unit",
            "owner",
            "standard__current",
            "reported_by",
            "repeat_of",
        ),
        public_id=problem,
    )


@rule(SIGNED_IN)
@require_GET
def problems(request):
    """Newest first. The rendered list is kept per person and filter until a
    problem of the center changes or the day turns (overdue flags move)."""
    form = ProblemFilterForm(request.GET or None)
    today = timezone.localdate()
    center, person = request.center, request.person
    # Who asks (with their roles), what they asked for, and the data's version.
    whole_center = person.has_perm("org.view", center=center)
    grants = sorted(map(repr, person.scope.grants))
    # Pairings widen what a committee member sees; they are part of the key.
    paired = (
        []
        if whole_center
        else sorted(
            Pairing.objects.active()
            .filter(member=person)
            .values_list("unit_id", flat=True)
        )
    )
    asked = f"{person.pk}:{grants}:{paired}:{request.GET.urlencode()}"
    digest = hashlib.sha256(asked.encode()).hexdigest()[:32]
    version = f"{center.pk}:{get_language()}:{today}:{queries.stamp(center)}"
    key = f"problems:{version}:{digest}"
    listing = cache.get(key)
    if listing is None:
        rows = Problem.objects.filter(center=center)
        if not whole_center:
            rows = rows & Problem.objects.visible_to(person)
        if form.is_valid():
            rows = form.filter(rows, today)
        rows = rows.select_related("unit", "owner").order_by("-created_at")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        listing = render_to_string(
            "rectification/problems.html#listing", {"page": page}, request
        )
        cache.set(key, listing, LIST_CACHE_SECONDS)
    return render(
        request,
        "rectification/problems.html",
        {
            "form": form,
            "listing": listing,
            "can_report": person.has_perm("problems.report"),
        },
    )


@rule("problems.report")
@require_http_methods(["GET", "POST"])
def report(request):
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        center=request.center,
        person=request.person,
    )
    if request.method == "GET" and request.person.unit_id:
        form.initial["unit"] = request.person.unit_id
    return form_page(
        request,
        form,
        lambda data: services.problem_report(
            actor=request.person,
            unit=data["unit"],
            description=data["description"],
            severity=data["severity"],
            source=data["source"],
            location=data["location"],
            standard=data["standard"],
            uploads=data["photos"],
        ),
        done=_("The problem is reported to the window."),
        title=_("Report a problem"),
    )


def _detail_context(request, problem: Problem) -> dict:
    person = request.person
    steps = list(problem.steps.select_related("actor").prefetch_related("photos"))
    fixes = [s for s in steps if s.kind == ProblemStep.Kind.SUBMITTED]
    returns = [s for s in steps if s.kind == ProblemStep.Kind.RETURNED]
    returned = problem.state == Problem.State.RETURNED
    reference = None
    if problem.standard_id and problem.standard.current_id:
        reference = problem.standard.current.photos.select_related("photo").first()
    fixable = problem.state in services.FIXABLE and services.can_fix(person, problem)
    verifiable = problem.state == Problem.State.SUBMITTED and services.can_verify(
        person, problem
    )
    trail = None
    if person.has_perm("audit.view"):
        trail = Event.objects.visible_to(person).filter(
            target_type="rectification.problem", target_id=str(problem.public_id)
        )
    return {
        "problem": problem,
        "origin": origin_of(problem),
        "evidence": list(problem.photos.all()),
        "latest_fix": fixes[-1] if fixes else None,
        # A returned fix: the inspector's note comes first, and the fix that
        # was returned fills the form again.
        "returned_step": returns[-1] if returned and returns else None,
        "reference": reference,
        "steps": steps,
        "fixable": fixable,
        "verifiable": verifiable,
        "is_verifier": person.has_perm("problems.verify", center=problem.center),
        "submit_form": SubmitForm(earlier=_returned_fix(returned, fixes))
        if fixable
        else None,
        "return_form": ReturnForm() if verifiable else None,
        "verify_form": VerifyForm() if verifiable else None,
        "deadline_form": DeadlineForm(initial={"deadline": problem.deadline})
        if person.has_perm("problems.verify", center=problem.center)
        and problem.state != Problem.State.CLOSED
        else None,
        "trail": _trail(trail),
    }


def _returned_fix(returned: bool, fixes: list):
    return fixes[-1] if returned and fixes else None


def _trail(events) -> list:
    """The problem's audit events with their states named."""
    if events is None:
        return []
    states = dict(Problem.State.choices)
    rows = list(events.order_by("at", "id")[:50])
    for event in rows:
        event.state_label = states.get((event.after or {}).get("state"), "")
    return rows


@rule(SIGNED_IN)
@require_GET
def problem(request, problem):
    problem = visible_problem(request, problem)
    return render(
        request, "rectification/problem.html", _detail_context(request, problem)
    )


@rule(SIGNED_IN)
@require_POST
def problem_start(request, problem):
    problem = visible_problem(request, problem)
    return run_action(
        request,
        lambda: services.problem_start(actor=request.person, problem=problem),
        done=_("Work on the problem started."),
        then=problem,
    )


@rule(SIGNED_IN)
@require_POST
def problem_submit(request, problem):
    problem = visible_problem(request, problem)
    returned = problem.state == Problem.State.RETURNED
    earlier = problem.steps.filter(kind=ProblemStep.Kind.SUBMITTED).last()
    form = SubmitForm(
        request.POST, request.FILES, earlier=earlier if returned else None
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.problem_submit(
                actor=request.person,
                problem=problem,
                cause=data["cause"],
                action=data["action"],
                uploads=data["photos"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The fix is submitted for verification."))
            return redirect(problem)
    ctx = _detail_context(request, problem)
    ctx["submit_form"] = form
    return render(request, "rectification/problem.html", ctx, status=400)


@rule("problems.verify")
@require_POST
def problem_return(request, problem):
    problem = visible_problem(request, problem)
    form = ReturnForm(request.POST)
    return run_action(
        request,
        lambda: services.problem_return(
            actor=request.person, problem=problem, note=form.cleaned_data["note"]
        ),
        done=_("The fix is returned to the window."),
        then=problem,
        form=form,
    )


@rule("problems.verify")
@require_POST
def problem_verify(request, problem):
    problem = visible_problem(request, problem)
    form = VerifyForm(request.POST)
    return run_action(
        request,
        lambda: services.problem_verify(
            actor=request.person, problem=problem, note=form.cleaned_data["note"]
        ),
        done=_("The fix is verified and the problem closed."),
        then=problem,
        form=form,
    )


@rule("problems.verify")
@require_POST
def problem_deadline(request, problem):
    problem = visible_problem(request, problem)
    form = DeadlineForm(request.POST)
    return run_action(
        request,
        lambda: services.problem_deadline_set(
            actor=request.person,
            problem=problem,
            deadline=form.cleaned_data["deadline"],
            note=form.cleaned_data["note"],
        ),
        done=_("The deadline is changed."),
        then=problem,
        form=form,
    )


@rule("problems.overview")
@require_GET
def dashboard(request):
    """The figures and their rendering are kept until a problem of the center
    changes or the day turns."""
    center = request.center
    today = timezone.localdate()
    key = f"rect-board:{center.pk}:{get_language()}:{today}:{queries.stamp(center)}"
    board = cache.get(key)
    if board is None:
        data = queries.dashboard(center, today=today)
        board = render_to_string(
            "rectification/dashboard.html#board", {"data": data}, request
        )
        cache.set(key, board, LIST_CACHE_SECONDS)
    return render(request, "rectification/dashboard.html", {"board": board})


@rule("problems.overview")
@require_GET
def dashboard_export(request):
    body = documents.problems_workbook(
        request.center, queries.dashboard(request.center)
    )
    return xlsx_response(body, f"problems-{timezone.localdate()}.xlsx")
