"""帮办代办: agent-service requests and their milestones."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record

from .models import AgentRequest, AgentStep


def may_serve(person, center) -> bool:
    """Agents are the center's staff holding agent.serve at any of its units."""
    return center.pk in person.scope.centers_with("agent.serve")


@transaction.atomic
def agent_request_open(
    *, actor, center, applicant: str, service_item, phone: str = "", note: str = ""
) -> AgentRequest:
    """Log a request at the agent desk; the person logging it is its agent."""
    if not may_serve(actor, center):
        raise PermissionDenied
    applicant, phone = applicant.strip(), phone.strip()
    if not applicant:
        raise ValidationError({"applicant": _("Write down who asks for the service.")})
    if service_item.center_id != center.pk or not service_item.agent_service:
        raise ValidationError(
            {"service_item": _("This center offers no agent service for this item.")}
        )
    now = timezone.now()
    request = AgentRequest.objects.create(
        center=center,
        applicant=applicant,
        phone=phone,
        service_item=service_item,
        agent=actor,
        requested_at=now,
        note=note.strip(),
    )
    AgentStep.objects.create(
        center=center, request=request, state=request.state, at=now, by=actor
    )
    event_record(
        actor=actor,
        action="agent.open",
        target=request,
        after={"item": service_item.name, "applicant": applicant},
    )
    return request


@transaction.atomic
def agent_request_phone_reveal(*, actor, request: AgentRequest) -> str:
    """The applicant's full number for the agent who calls them, on one
    answer; the trail keeps who saw it and when, never the number."""
    if not request.phone or not may_serve(actor, request.center):
        raise PermissionDenied
    event_record(
        actor=actor,
        action="agent.phone_reveal",
        target=request,
        after={"revealed": True},
    )
    return request.phone


def _locked(request: AgentRequest, actor) -> AgentRequest:
    request = AgentRequest.objects.select_for_update().get(pk=request.pk)
    if not may_serve(actor, request.center):
        raise PermissionDenied
    return request


def _move(actor, request: AgentRequest, state: str, note: str, action: str, after):
    """Put the locked request in `state`, keep the step, record the event."""
    before = request.state
    request.state = state
    request.save(update_fields=["state", "updated_at"])
    AgentStep.objects.create(
        center=request.center,
        request=request,
        state=state,
        at=timezone.now(),
        by=actor,
        note=note.strip(),
    )
    event_record(
        actor=actor,
        action=action,
        target=request,
        before={"state": before},
        after=after,
    )
    return request


@transaction.atomic
def agent_request_advance(*, actor, request: AgentRequest, note: str = ""):
    """Reach the next milestone. The step asked for must still be the next
    one, so two agents pressing at once move the request once."""
    expected = request.next_state
    request = _locked(request, actor)
    if request.next_state is None or request.next_state != expected:
        raise ValidationError(
            _("This request is now “%(state)s”: someone acted on it meanwhile.")
            % {"state": request.get_state_display()}
        )
    state = request.next_state
    return _move(actor, request, state, note, "agent.advance", {"state": state})


@transaction.atomic
def agent_request_cancel(*, actor, request: AgentRequest, reason: str):
    request = _locked(request, actor)
    if request.state in (AgentRequest.State.DELIVERED, AgentRequest.State.CANCELLED):
        raise ValidationError(
            _("This request is “%(state)s” and can no longer be cancelled.")
            % {"state": request.get_state_display()}
        )
    if not reason.strip():
        raise ValidationError({"note": _("Say why the request is cancelled.")})
    return _move(
        actor,
        request,
        AgentRequest.State.CANCELLED,
        reason,
        "agent.cancel",
        {"reason": reason.strip()[:200]},
    )
