"""/api/v1/problems: the person's problems, submitting a fix with photos,
verifying or returning it — the same services and scope as the pages. Actions
take form fields (the fix is multipart, for its photos)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gembahall.rectification import services
from gembahall.rectification.models import Problem

from .common import Pages, Rows, StateFilter, person_of
from .schemas import Error, ProblemOut

problems = Router(tags=["problems"])
MAX_PHOTOS = 6
# A form field bounded as on the problem pages' forms.
FormText = Form[str, {"max_length": 1000}]


def problem_out(p: Problem, detail: bool = False) -> dict:
    row = {
        "id": p.public_id,
        "unit": p.unit.public_id,
        "unit_code": p.unit.code,
        "source": p.source,
        "state": p.state,
        "severity": p.severity,
        "description": p.description,
        "location": p.location,
        "standard": p.standard.code if p.standard_id else None,
        "owner": p.owner.name if p.owner_id else None,
        "raised_on": p.raised_on,
        "deadline": p.deadline,
        "overdue": p.is_overdue,
        "repeat_of": p.repeat_of.public_id if p.repeat_of_id else None,
        "closed_at": p.closed_at,
    }
    if detail:
        row["photos"] = [ph.public_id for ph in p.photos.all()]
        row["steps"] = [
            {
                "kind": s.kind,
                "at": s.created_at,
                "by": s.actor.name if s.actor_id else None,
                "cause": s.cause,
                "action": s.action,
                "note": s.note,
                "photos": [ph.public_id for ph in s.photos.all()],
            }
            for s in p.steps.select_related("actor").prefetch_related("photos")
        ]
    return row


def _scoped(request):
    return Problem.objects.visible_to(person_of(request)).select_related(
        "unit", "owner", "standard", "repeat_of"
    )


def _problem(request, problem_id: UUID) -> Problem:
    return get_object_or_404(_scoped(request), public_id=problem_id)


@problems.get("", response=list[ProblemOut])
@paginate(Pages)
def problem_list(
    request,
    state: StateFilter = None,
    overdue: Query[bool] = False,
    unit: Query[UUID | None] = None,
):
    """Problems the person may see, newest first; filter by state, overdue or unit."""
    rows = _scoped(request)
    if state:
        rows = rows.filter(state=state)
    if overdue:
        rows = rows.overdue(timezone.localdate())
    if unit:
        rows = rows.filter(unit__public_id=unit)
    return Rows(rows.order_by("-created_at"), problem_out)


@problems.get("/{problem_id}", response=ProblemOut)
def problem_detail(request, problem_id: UUID):
    return problem_out(_problem(request, problem_id), detail=True)


@problems.post(
    "/{problem_id}/fix", response={200: ProblemOut, 403: Error, 404: Error, 422: Error}
)
def problem_fix(
    request,
    problem_id: UUID,
    cause: FormText = "",
    action: FormText = "",
    photos: File[list[UploadedFile]] = None,
):
    """Submit the fix: photos of the fixed place (multipart `photos`, one or
    more), the cause and what was done."""
    problem = _problem(request, problem_id)
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("Upload at most %(n)d photos at once.") % {"n": MAX_PHOTOS}}
        )
    services.problem_submit(
        actor=request.person,
        problem=problem,
        cause=cause,
        action=action,
        uploads=photos,
    )
    return problem_out(_problem(request, problem_id), detail=True)


@problems.post(
    "/{problem_id}/verify",
    response={200: ProblemOut, 403: Error, 404: Error, 422: Error},
)
def problem_verify(request, problem_id: UUID, note: FormText = ""):
    """Seen fixed: close the problem (an inspector who did not submit the fix)."""
    problem = _problem(request, problem_id)
    services.problem_verify(actor=request.person, problem=problem, note=note)
    return problem_out(_problem(request, problem_id), detail=True)


@problems.post(
    "/{problem_id}/return",
    response={200: ProblemOut, 403: Error, 404: Error, 422: Error},
)
def problem_return(request, problem_id: UUID, note: FormText = ""):
    """Not fixed yet: back to the window with a note saying what is still wrong."""
    problem = _problem(request, problem_id)
    services.problem_return(actor=request.person, problem=problem, note=note)
    return problem_out(_problem(request, problem_id), detail=True)
