"""Shapes of the API's requests and answers."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class ChecklistItemOut(Schema):
    id: UUID
    position: int
    chapter: str
    section: str
    criterion: str
    max_points: Decimal
    deduction: Decimal
    cap: Decimal
    method: str
    photo_required: bool
    severity: str
    standard: str | None


class ChecklistOut(Schema):
    id: UUID
    code: str
    version: int
    title: str
    target: str
    state: str
    items: list[ChecklistItemOut] = []


class ResultOut(Schema):
    id: UUID
    item: UUID
    position: int
    criterion: str
    outcome: str
    occurrences: int
    points: Decimal
    is_repeat: bool
    note: str
    photos: list[UUID]


class InspectionOut(Schema):
    id: UUID
    unit: UUID
    unit_label: str
    checklist: UUID
    round: UUID | None
    kind: str
    state: str
    inspected_on: date
    score: Decimal | None
    finalized_at: datetime | None
    results: list[ResultOut] | None = None


class InspectionIn(Schema):
    unit: UUID
    checklist: UUID
    kind: Literal["official", "self", "cross"] = "official"


class AnswerIn(Schema):
    # Checked by the service after the item is found, so a missing item answers
    # 404 whatever the body holds.
    outcome: Literal["pass", "deduct", "na"] | None = None
    # Bounded as on the inspection page's form.
    occurrences: int = Field(0, ge=0, le=99)
    note: str = Field("", max_length=500)


class PhotoOut(Schema):
    id: UUID
    sha256: str
    width: int
    height: int


class ProblemStepOut(Schema):
    kind: str
    at: datetime
    by: str | None
    cause: str
    action: str
    note: str
    photos: list[UUID]


class ProblemOut(Schema):
    id: UUID
    unit: UUID
    unit_code: str
    source: str
    state: str
    severity: str
    description: str
    location: str
    standard: str | None
    owner: str | None
    raised_on: date
    deadline: date | None
    overdue: bool
    repeat_of: UUID | None
    closed_at: datetime | None
    photos: list[UUID] | None = None
    steps: list[ProblemStepOut] | None = None
