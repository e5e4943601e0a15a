"""Endpoints for the hall's machines: queue systems push ticket events,
authenticated by a per-center API key (Authorization: Bearer gh_…), not by
a person's session."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from gembahall.casework.events import ticket_event_record
from gembahall.casework.tokens import token_check

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
    body = {
        "ticket": ticket.public_id,
        "ticket_no": ticket.ticket_no,
        "recorded": recorded,
        "status": ticket.status,
    }
    return Status(201 if recorded else 200, body)
