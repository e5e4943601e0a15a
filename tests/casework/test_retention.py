"""Applicants' numbers on agent-service requests are erased a set number of
days after the request closes."""

from datetime import timedelta

from django.utils import timezone

from gembahall.casework.agent import agent_request_open
from gembahall.casework.models import AgentRequest
from gembahall.core.periodic import tick
from tests import factories as f

PHONE = "13812340000"


def test_an_agent_request_number_is_erased_after_the_request_closes(hall, settings):
    settings.GEMBAHALL_PHONE_RETENTION_DAYS = 30
    hall.item.agent_service = True
    hall.item.save()
    agent = f.person(hall.center, hall.a01, username="agent1")
    f.grant(agent, "staff", unit=hall.a01)
    args = {"actor": agent, "center": hall.center, "service_item": hall.item}
    delivered = agent_request_open(applicant="甲", phone=PHONE, **args)
    working = agent_request_open(applicant="乙", phone=PHONE, **args)
    long_ago = timezone.now() - timedelta(days=31)
    AgentRequest.objects.filter(pk=delivered.pk).update(
        state="delivered", updated_at=long_ago
    )
    AgentRequest.objects.filter(pk=working.pk).update(updated_at=long_ago)
    assert tick(only=["casework.phone_erase"]) == {"casework.phone_erase": 1}
    phones = dict(AgentRequest.objects.values_list("pk", "phone"))
    assert phones == {delivered.pk: "", working.pk: PHONE}
