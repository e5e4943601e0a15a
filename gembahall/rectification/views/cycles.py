"""PDCAA improvement cycles and good practices."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.pages import form_page, run_action
from gembahall.core.permissions import SIGNED_IN, rule

from .. import improvements as cycle
from .. import practices as good
from ..forms import (
    AdoptForm,
    AdvanceForm,
    ImprovementForm,
    PracticeForm,
    PromoteForm,
    ReviewForm,
    StandardizeForm,
    TaskDoneForm,
    TaskForm,
)
from ..models import Adoption, Improvement, ImprovementTask, Practice, Problem
from ..sources import follow_up_link


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


def _improvement(request, improvement) -> Improvement:
    return get_object_or_404(
        Improvement.objects.visible_to(request.person).select_related(
            "owner", "standard", "version"
        ),
        public_id=improvement,
    )


@rule(SIGNED_IN)
@require_GET
def improvements(request):
    rows = (
        Improvement.objects.visible_to(request.person)
        .filter(center=request.center)
        .select_related("owner", "standard", "version")
        .annotate(problem_count=Count("problems"))
    )
    can_manage = request.person.has_perm("improvements.manage", center=request.center)
    return render(
        request,
        "rectification/improvements.html",
        {
            "improvements": rows,
            "can_manage": can_manage,
            "recurring": cycle.recurring_items(request.center) if can_manage else [],
        },
    )


@rule("improvements.manage")
@require_http_methods(["GET", "POST"])
def improvement_create(request):
    item = request.GET.get("item") or request.POST.get("item_key") or ""
    item = item if _is_uuid(item) else None
    form = ImprovementForm(request.POST or None, center=request.center, item=item)
    if request.method == "GET" and item:
        # Opened from the prompt for a recurring item: its recent problems.
        recent = list(
            Problem.objects.filter(center=request.center, item_key=item).order_by(
                "-created_at"
            )[:30]
        )
        form.initial.update(
            item_key=item,
            problems=[p.pk for p in recent],
            standard=recent[0].standard_id if recent else None,
        )

    def apply(data):
        return cycle.improvement_open(
            actor=request.person,
            center=request.center,
            title=data["title"],
            goal=data["goal"],
            problems=list(data["problems"]),
            standard=data["standard"],
            item_key=data["item_key"],
        )

    return form_page(
        request,
        form,
        apply,
        done=_("The improvement cycle is open."),
        title=_("Open an improvement cycle"),
    )


@rule(SIGNED_IN)
@require_GET
def improvement(request, improvement):
    improvement = _improvement(request, improvement)
    can_manage = request.person.has_perm(
        "improvements.manage", center=improvement.center
    )
    ctx = {
        "improvement": improvement,
        "tasks": improvement.tasks.select_related("owner").prefetch_related("photos"),
        "problems": improvement.problems.select_related("unit"),
        "can_manage": can_manage,
        "stages": Improvement.Stage.choices,
        "follow_up": follow_up_link(improvement.audit_source, improvement.audit_ref),
    }
    if can_manage and improvement.stage in (
        Improvement.Stage.PLAN,
        Improvement.Stage.DO,
    ):
        ctx["task_form"] = TaskForm(improvement=improvement)
    if can_manage and improvement.stage in cycle.NEXT:
        ctx["advance_form"] = AdvanceForm(improvement=improvement)
    ctx["done_form"] = (
        TaskDoneForm() if improvement.stage == Improvement.Stage.DO else None
    )
    return render(request, "rectification/improvement.html", ctx)


@rule("improvements.manage")
@require_POST
def task_add(request, improvement):
    improvement = _improvement(request, improvement)
    form = TaskForm(request.POST, improvement=improvement)
    return run_action(
        request,
        lambda: cycle.task_add(
            actor=request.person, improvement=improvement, **form.cleaned_data
        ),
        done=_("The measure is added."),
        then=improvement,
        form=form,
    )


@rule(SIGNED_IN)
@require_POST
def task_done(request, improvement, task):
    improvement = _improvement(request, improvement)
    task = get_object_or_404(
        ImprovementTask.objects.filter(improvement=improvement), public_id=task
    )
    task.improvement = improvement
    form = TaskDoneForm(request.POST, request.FILES)
    return run_action(
        request,
        lambda: cycle.task_done(
            actor=request.person,
            task=task,
            evidence=form.cleaned_data["evidence"],
            uploads=form.cleaned_data["photos"],
        ),
        done=_("The measure is done."),
        then=improvement,
        form=form,
    )


@rule("improvements.manage")
@require_POST
def improvement_advance(request, improvement):
    improvement = _improvement(request, improvement)
    form = AdvanceForm(request.POST, improvement=improvement)
    return run_action(
        request,
        lambda: cycle.improvement_advance(
            actor=request.person,
            improvement=improvement,
            text=form.cleaned_data["text"],
            follow_up=form.cleaned_data["inspection"],
        ),
        done=_("On to the next step."),
        then=improvement,
        form=form,
    )


@rule("improvements.manage")
@require_http_methods(["GET", "POST"])
def improvement_standardize(request, improvement):
    improvement = _improvement(request, improvement)
    if improvement.stage != Improvement.Stage.STANDARDIZE or improvement.version_id:
        return redirect(improvement)
    form = StandardizeForm(request.POST or None, improvement=improvement)

    def apply(data):
        version = cycle.improvement_standardize(
            actor=request.person,
            improvement=improvement,
            body=data["body"],
            change_note=data["change_note"],
            new_standard=form.new_standard(),
        )
        return version.standard

    return form_page(
        request,
        form,
        apply,
        done=_("The draft standard is written; the director publishes it."),
        title=_("Standardize: write the standard"),
        back=improvement,
    )


def _practice(request, practice) -> Practice:
    return get_object_or_404(
        Practice.objects.visible_to(request.person).select_related(
            "unit", "submitted_by", "standard"
        ),
        public_id=practice,
    )


@rule(SIGNED_IN)
@require_GET
def practices(request):
    person = request.person
    rows = (
        Practice.objects.visible_to(person)
        .filter(center=request.center)
        .select_related("unit", "standard")
        .annotate(adoption_count=Count("adoptions"))
    )
    state = request.GET.get("state", "")
    if state in Practice.State.values:
        rows = rows.filter(state=state)
    if person.unit_id:
        rows = rows.annotate(
            adopted=Exists(
                Adoption.objects.filter(practice=OuterRef("pk"), unit_id=person.unit_id)
            )
        )
    return render(
        request,
        "rectification/practices.html",
        {
            "practices": rows,
            "state": state,
            "states": Practice.State.choices,
            "can_submit": person.unit_id
            and person.has_perm("practices.submit", unit=person.unit),
        },
    )


@rule("practices.submit")
@require_http_methods(["GET", "POST"])
def practice_create(request):
    unit = request.person.unit
    if unit is None or not request.person.has_perm("practices.submit", unit=unit):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: good.practice_submit(
            actor=request.person,
            unit=unit,
            title=data["title"],
            description=data["description"],
            uploads=data["photos"],
        ),
        done=_("The practice is sent to the OSM office for review."),
        title=_("Share a good practice"),
    )


@rule(SIGNED_IN)
@require_GET
def practice(request, practice):
    practice = _practice(request, practice)
    person = request.person
    unit = person.unit
    can_adopt = bool(
        unit
        and practice.state == Practice.State.PUBLISHED
        and unit.pk != practice.unit_id
        and person.has_perm("practices.submit", unit=unit)
        and not practice.adoptions.filter(unit=unit).exists()
    )
    can_review = person.has_perm("practices.review", center=practice.center)
    return render(
        request,
        "rectification/practice.html",
        {
            "practice": practice,
            "adoptions": practice.adoptions.select_related("unit", "person"),
            "can_adopt": can_adopt,
            "can_review": can_review and practice.state == Practice.State.SUBMITTED,
            "can_promote": can_review
            and practice.state == Practice.State.PUBLISHED
            and not practice.standard_id
            and person.has_perm("standards.edit", center=practice.center),
            "adopt_form": AdoptForm(),
            "review_form": ReviewForm(),
        },
    )


@rule("practices.review")
@require_POST
def practice_review(request, practice):
    practice = _practice(request, practice)
    form = ReviewForm(request.POST)
    return run_action(
        request,
        lambda: good.practice_review(
            actor=request.person,
            practice=practice,
            publish=form.cleaned_data["decision"] == "publish",
            note=form.cleaned_data["note"],
        ),
        done=_("The review is saved."),
        then=practice,
        form=form,
    )


@rule("practices.submit")
@require_POST
def practice_adopt(request, practice):
    practice = _practice(request, practice)
    form = AdoptForm(request.POST)
    unit = request.person.unit
    if unit is None:
        raise PermissionDenied
    return run_action(
        request,
        lambda: good.practice_adopt(
            actor=request.person,
            practice=practice,
            unit=unit,
            note=form.cleaned_data["note"],
        ),
        done=_("Your window's adoption is recorded."),
        then=practice,
        form=form,
    )


@rule("standards.edit")
@require_http_methods(["GET", "POST"])
def practice_promote(request, practice):
    practice = _practice(request, practice)
    form = PromoteForm(request.POST or None, initial={"title": practice.title})
    return form_page(
        request,
        form,
        lambda data: good.practice_promote(
            actor=request.person, practice=practice, **data
        ),
        done=_("The practice is now a draft standard; the director publishes it."),
        title=_("Make the practice a standard"),
        back=practice,
    )
