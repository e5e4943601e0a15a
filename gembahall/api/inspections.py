"""/api/v1/inspections: inspections the person may see, starting one,
answering its items with photos and finalizing it — the same services and
scope as the pages."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gembahall.inspections import services
from gembahall.inspections.models import Checklist, Inspection, ItemResult
from gembahall.org.models import Unit

from .common import Pages, Rows, StateFilter, person_of
from .schemas import AnswerIn, Error, InspectionIn, InspectionOut, PhotoOut, ResultOut

inspections = Router(tags=["inspections"])


def result_out(r: ItemResult) -> dict:
    return {
        "id": r.public_id,
        "item": r.item.public_id,
        "position": r.item.position,
        "criterion": r.item.criterion,
        "outcome": r.outcome,
        "occurrences": r.occurrences,
        "points": r.points,
        "is_repeat": r.is_repeat,
        "note": r.note,
        "photos": [p.public_id for p in r.photos.all()],
    }


def inspection_out(i: Inspection, results=None) -> dict:
    return {
        "id": i.public_id,
        "unit": i.unit.public_id,
        "unit_label": i.unit_label,
        "checklist": i.checklist.public_id,
        "round": i.round.public_id if i.round_id else None,
        "kind": i.kind,
        "state": i.state,
        "inspected_on": i.inspected_on,
        "score": i.score,
        "finalized_at": i.finalized_at,
        "results": [result_out(r) for r in results] if results is not None else None,
    }


def _inspection(request, inspection_id: UUID) -> Inspection:
    return get_object_or_404(
        Inspection.objects.visible_to(person_of(request)).select_related(
            "unit", "checklist", "round", "center", "by_unit"
        ),
        public_id=inspection_id,
    )


def _results(inspection):
    return inspection.results.select_related("item").prefetch_related("photos")


@inspections.get("", response=list[InspectionOut])
@paginate(Pages)
def inspection_list(
    request, state: StateFilter = None, unit: Query[UUID | None] = None
):
    """Inspections the person may see, newest first; filter by state or unit."""
    rows = Inspection.objects.visible_to(person_of(request)).select_related(
        "unit", "checklist", "round"
    )
    if state:
        rows = rows.filter(state=state)
    if unit:
        rows = rows.filter(unit__public_id=unit)
    rows = rows.order_by("-inspected_on", "tier", "unit_label")
    return Rows(rows, inspection_out)


def _inspectable(person, kind: str):
    """A cross-inspection looks at another window of the person's center, which
    lies outside their own scope; every other kind stays within that scope."""
    if kind == Inspection.Kind.CROSS:
        return Unit.objects.active().windows().filter(center_id=person.center_id)
    return Unit.objects.visible_to(person)


@inspections.post("", response={201: InspectionOut, 403: Error, 404: Error, 422: Error})
def inspection_create(request, data: InspectionIn):
    """Start an ad hoc official inspection, a self-inspection or a cross-inspection."""
    person = person_of(request)
    unit = get_object_or_404(_inspectable(person, data.kind), public_id=data.unit)
    checklist = get_object_or_404(
        Checklist.objects.visible_to(person), public_id=data.checklist
    )
    inspection = services.inspection_start(
        actor=person, unit=unit, checklist=checklist, kind=data.kind
    )
    return Status(201, inspection_out(inspection, _results(inspection)))


@inspections.get("/{inspection_id}", response=InspectionOut)
def inspection_detail(request, inspection_id: UUID):
    inspection = _inspection(request, inspection_id)
    return inspection_out(inspection, _results(inspection))


@inspections.patch(
    "/{inspection_id}/results/{result_id}",
    response={200: ResultOut, 403: Error, 404: Error, 422: Error},
)
def result_update(request, inspection_id: UUID, result_id: UUID, data: AnswerIn):
    """Answer one item while the inspection is in draft."""
    inspection = _inspection(request, inspection_id)
    result = get_object_or_404(_results(inspection), public_id=result_id)
    services.item_answer(
        actor=request.person,
        result=result,
        outcome=data.outcome or "",
        occurrences=data.occurrences,
        note=data.note,
    )
    return result_out(result)


@inspections.post(
    "/{inspection_id}/results/{result_id}/photos",
    response={201: PhotoOut, 403: Error, 404: Error, 422: Error},
)
def result_photo(
    request,
    inspection_id: UUID,
    result_id: UUID,
    photo: File[UploadedFile] = None,
):
    """Add an evidence photo (JPEG, PNG, WebP or HEIC; at most 10 MB)."""
    inspection = _inspection(request, inspection_id)
    result = get_object_or_404(inspection.results, public_id=result_id)
    if photo is None:
        raise ValidationError({"photo": _("Choose a photo to upload.")})
    stored = services.item_photo_add(actor=request.person, result=result, upload=photo)
    return Status(
        201,
        {
            "id": stored.public_id,
            "sha256": stored.sha256,
            "width": stored.width,
            "height": stored.height,
        },
    )


@inspections.post(
    "/{inspection_id}/finalize",
    response={200: InspectionOut, 403: Error, 404: Error, 422: Error},
)
def inspection_finalize(request, inspection_id: UUID):
    """Fix the score; every deduction becomes a problem for the unit."""
    inspection = _inspection(request, inspection_id)
    final = services.inspection_finalize(actor=request.person, inspection=inspection)
    final = _inspection(request, final.public_id)
    return inspection_out(final, _results(final))
