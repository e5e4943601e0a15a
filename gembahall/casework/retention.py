"""Applicants' numbers on agent-service requests are erased a set number of
days after the request closes (delivered or cancelled)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from gembahall.core.periodic import periodic
from gembahall.core.retention import phones_erase

from .models import AgentRequest

CLOSED = (AgentRequest.State.DELIVERED, AgentRequest.State.CANCELLED)


@periodic("casework.phone_erase")
def agent_phones_erase(now=None) -> int:
    cutoff = (now or timezone.now()) - timedelta(
        days=settings.GEMBAHALL_PHONE_RETENTION_DAYS
    )
    due = AgentRequest.objects.filter(state__in=CLOSED, updated_at__lt=cutoff)
    return phones_erase(due, label="casework.agentrequest")
