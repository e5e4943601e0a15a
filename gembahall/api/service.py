"""Endpoints for the hall's machines: queue systems push ticket events,
authenticated by a per-center API key (Authorization: Bearer gh_…), not by
a person's session."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from gembahall.casework.events import ticket_event_record, window_for_code
from gembahall.casework.models import Case, Ticket
from gembahall.casework.tokens import token_check
from gembahall.ratings.models import Rating
from gembahall.ratings.services import RatingLimited, rating_submit

from .schemas import Error


class CenterToken(HttpBearer):
    """A live API key of a source system; the request acts for its center."""

    def authenticate(self, request, token):
        found = token_check(token)
        if found is not None:
            request.api_token = found
        return found


class TicketEventIn(Schema):
    event_id: str = Field(min_length=1, max_length=64)
    ticket_no: str = Field(min_length=1, max_length=30)
    kind: Literal["taken", "called", "started", "finished"]
    at: datetime
    window: str = Field("", max_length=20)
    staff_no: str = Field("", max_length=30)
    business: str = Field("", max_length=120)
    status: Literal["", "served", "no_show", "returned", "transferred"] = ""


class TicketEventOut(Schema):
    ticket: UUID
    ticket_no: str
    recorded: bool
    status: str
    # For the ticket's QR code: the number alone rates nothing.
    rating_token: str
    rating_url: str


service = Router(auth=CenterToken(), tags=["queue systems"])


@service.post(
    "/ticket-events",
    url_name="service_ticket_event",
    response={
        200: TicketEventOut,
        201: TicketEventOut,
        401: Error,
        403: Error,
        422: Error,
    },
)
def ticket_event(request, payload: TicketEventIn):
    """Record one ticket event; the same event id again is accepted and
    changes nothing (200), a new one answers 201."""
    token = request.api_token
    if token.source.kind != "tickets":
        raise PermissionDenied
    ticket, recorded = ticket_event_record(source=token.source, **payload.dict())
    rating_url = reverse(
        "rate:rate_ticket",
        args=[token.center.code, ticket.ticket_no, ticket.rating_token],
    )
    body = {
        "ticket": ticket.public_id,
        "ticket_no": ticket.ticket_no,
        "recorded": recorded,
        "status": ticket.status,
        "rating_token": ticket.rating_token,
        "rating_url": request.build_absolute_uri(rating_url),
    }
    return Status(201 if recorded else 200, body)


class RatingIn(Schema):
    external_id: str = Field(min_length=1, max_length=64)
    window: str = Field(min_length=1, max_length=20)
    level: int = Field(ge=1, le=5)
    efficiency: int | None = Field(None, ge=1, le=5)
    quality: int | None = Field(None, ge=1, le=5)
    attitude: int | None = Field(None, ge=1, le=5)
    reasons: list[Annotated[str, Field(max_length=20)]] = Field([], max_length=8)
    comment: str = Field("", max_length=500)
    phone: str = Field("", max_length=20)
    channel: Literal["pad", "sms"] = "pad"
    ticket_no: str = Field("", max_length=30)
    # The case the citizen rates (一事一评), as the case system numbers it.
    case_no: str = Field("", max_length=40)


class RatingOut(Schema):
    rating: UUID
    recorded: bool
    followup: bool


@service.post(
    "/ratings",
    url_name="service_rating",
    response={
        200: RatingOut,
        201: RatingOut,
        401: Error,
        404: Error,
        422: Error,
        429: Error,
    },
)
def rating_push(request, payload: RatingIn):
    """A rating from a pad at the window or an SMS reply. The external id (the
    provincial platform's) makes it count once: sent again, it answers 200."""
    center = request.api_token.center
    rating = Rating.objects.filter(
        center=center, external_id=payload.external_id
    ).first()
    if rating is not None:
        return Status(
            200,
            {"rating": rating.public_id, "recorded": False, "followup": rating.is_bad},
        )
    window = window_for_code(center, payload.window)
    ticket = None
    if payload.ticket_no:
        ticket = Ticket.objects.filter(
            center=center, ticket_no=payload.ticket_no, day=timezone.localdate()
        ).first()
        if ticket is None:
            raise ValidationError(
                {
                    "ticket_no": _("No ticket “%(number)s” taken today in this center.")
                    % {"number": payload.ticket_no}
                }
            )
    case = None
    if payload.case_no:
        case = (
            Case.objects.filter(center=center, case_no=payload.case_no)
            .order_by("-accepted_at")
            .first()
        )
        if case is None:
            raise ValidationError(
                {
                    "case_no": _("No case “%(number)s” in this center.")
                    % {"number": payload.case_no}
                }
            )
    data = payload.dict(exclude={"window", "ticket_no", "case_no"})
    try:
        rating = rating_submit(window=window, ticket=ticket, case=case, ip=None, **data)
    except RatingLimited:
        return Status(429, {"detail": _("Too many ratings in the last hour.")})
    return Status(
        201, {"rating": rating.public_id, "recorded": True, "followup": rating.is_bad}
    )
