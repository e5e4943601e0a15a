"""/api/v1/checklists: the checklists of the person's centers, and one with
its items."""

from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from gembahall.inspections.models import Checklist

from .common import Pages, Rows, person_of
from .schemas import ChecklistOut

checklists = Router(tags=["checklists"])


def checklist_out(checklist: Checklist, items=True) -> dict:
    return {
        "id": checklist.public_id,
        "code": checklist.code,
        "version": checklist.number,
        "title": checklist.title,
        "target": checklist.target,
        "state": checklist.state,
        "items": [
            {
                "id": i.public_id,
                "position": i.position,
                "chapter": i.chapter,
                "section": i.section,
                "criterion": i.criterion,
                "max_points": i.max_points,
                "deduction": i.deduction,
                "cap": i.cap,
                "method": i.method,
                "photo_required": i.photo_required,
                "severity": i.severity,
                "standard": i.standard.code if i.standard_id else None,
            }
            for i in checklist.items.all()
        ]
        if items
        else [],
    }


@checklists.get("", response=list[ChecklistOut])
@paginate(Pages)
def checklist_list(request):
    """Checklists of the centers the person works in, without their items."""
    person_of(request)
    rows = Checklist.objects.visible_to(request.person).order_by("code", "-number")
    return Rows(rows, lambda c: checklist_out(c, items=False))


@checklists.get("/{checklist_id}", response=ChecklistOut)
def checklist_detail(request, checklist_id: UUID):
    person_of(request)
    checklist = get_object_or_404(
        Checklist.objects.visible_to(request.person).prefetch_related(
            "items__standard"
        ),
        public_id=checklist_id,
    )
    return checklist_out(checklist)
