from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gembahall.casework.agent import agent_request_open
from gembahall.casework.models import AgentRequest, AgentStep, ServiceItem
from gembahall.core.models import Event
from tests import factories as f


def agent_at(hall, unit, username="agent1"):
    person = f.person(hall.center, unit, username=username)
    f.grant(person, "staff", unit=unit)
    return person


def offered(hall):
    hall.item.agent_service = True
    hall.item.save()
    return hall.item


def test_an_agent_logs_a_request_and_walks_it_to_delivery(client, hall):
    item = offered(hall)
    agent = agent_at(hall, hall.a01)
    f.signed_in(client, agent)
    answer = client.post(
        reverse("casework:agent_requests"),
        {
            "applicant": "江南食品有限公司",
            "phone": "13900001234",
            "service_item": item.pk,
            "note": "新设公司，股东两人",
        },
    )
    request = AgentRequest.objects.get()
    assert answer.status_code == 302 and request.agent == agent
    url = reverse("casework:agent_request", kwargs={"agent_request": request.public_id})
    step = reverse(
        "casework:agent_request_step", kwargs={"agent_request": request.public_id}
    )
    page = client.get(url).text
    assert "139****1234" in page and "13900001234" not in page
    for note in ("材料已收齐", "已提交审批", "营业执照已核发", "已送达"):
        client.post(step, {"note": note, "next": ""})
    request.refresh_from_db()
    assert request.state == "delivered"
    assert list(request.steps.values_list("state", "note")) == [
        ("requested", ""),
        ("materials", "材料已收齐"),
        ("submitted", "已提交审批"),
        ("completed", "营业执照已核发"),
        ("delivered", "已送达"),
    ]
    # Delivered is the last milestone: nothing moves it further.
    client.post(step, {"note": "", "next": ""})
    assert request.steps.count() == 5
    page = client.get(url).text
    assert "江南食品有限公司" in page and "已送达" in page
    assert 'data-testid="step-form"' not in page
    assert Event.objects.filter(action="agent.advance").count() == 4


def test_a_cancellation_needs_a_reason(client, hall):
    item = offered(hall)
    agent = agent_at(hall, hall.a01)
    request = agent_request_open(
        actor=agent, center=hall.center, applicant="王女士", service_item=item
    )
    f.signed_in(client, agent)
    step = reverse(
        "casework:agent_request_step", kwargs={"agent_request": request.public_id}
    )
    page = client.post(step, {"note": " ", "cancel": ""}, follow=True)
    assert "请说明取消的原因" in page.text
    request.refresh_from_db()
    assert request.state == "requested"
    client.post(step, {"note": "申请人改为自行办理", "cancel": ""})
    request.refresh_from_db()
    assert request.state == "cancelled"
    assert Event.objects.filter(action="agent.cancel").count() == 1


def test_items_without_agent_service_and_bad_phones_are_refused(client, hall):
    agent = agent_at(hall, hall.a01)
    f.signed_in(client, agent)
    page = client.post(
        reverse("casework:agent_requests"),
        {"applicant": "李先生", "phone": "call me", "service_item": hall.item.pk},
    )
    assert page.status_code == 200
    assert "请输入由数字组成的电话号码" in page.text
    assert "选择一个有效的选项" in page.text  # the item offers no agent service
    assert not AgentRequest.objects.exists() and not AgentStep.objects.exists()


def test_another_centers_requests_answer_404(client, hall):
    item = offered(hall)
    request = agent_request_open(
        actor=agent_at(hall, hall.a01),
        center=hall.center,
        applicant="陈女士",
        service_item=item,
    )
    other = f.center(code="other")
    stranger = f.person(other, f.unit(other, code="Z01"), username="stranger")
    f.grant(stranger, "staff", unit=stranger.unit)
    f.signed_in(client, stranger)
    url = reverse("casework:agent_request", kwargs={"agent_request": request.public_id})
    assert client.get(url).status_code == 404
    step = reverse(
        "casework:agent_request_step", kwargs={"agent_request": request.public_id}
    )
    assert client.post(step, {"next": ""}).status_code == 404
    request.refresh_from_db()
    assert request.state == "requested"


def test_the_request_list_reads_a_fixed_number_of_queries(client, hall):
    item = offered(hall)
    agent = agent_at(hall, hall.a01)
    agent_request_open(
        actor=agent, center=hall.center, applicant="甲", service_item=item
    )
    f.signed_in(client, agent)
    client.get(reverse("casework:agent_requests"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("casework:agent_requests"))
    second = ServiceItem.objects.create(
        center=hall.center,
        department=hall.dept,
        name="食品经营许可",
        handling="promised",
        statutory_days=20,
        promised_days=5,
        agent_service=True,
    )
    for n in range(6):
        agent_request_open(
            actor=agent_at(hall, hall.a02, f"agent-b{n}"),
            center=hall.center,
            applicant=f"申请人{n}",
            service_item=second,
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("casework:agent_requests"))
    assert len(page.context["page"]) == 7
    assert len(many) == len(one)


def test_the_agent_reveals_the_applicants_number_on_purpose_and_on_the_trail(
    client, hall
):
    item = offered(hall)
    agent = agent_at(hall, hall.a01)
    request = agent_request_open(
        actor=agent,
        center=hall.center,
        applicant="甲",
        service_item=item,
        phone="13900001234",
    )
    url = reverse("casework:agent_request", kwargs={"agent_request": request.public_id})
    f.signed_in(client, agent)
    page = client.get(url).content.decode()
    assert "13900001234" not in page and "139****1234" in page
    reveal = reverse(
        "casework:agent_request_phone", kwargs={"agent_request": request.public_id}
    )
    assert "13900001234" in client.post(reveal).content.decode()
    event = Event.objects.get(action="agent.phone_reveal")
    assert event.actor_id == agent.pk and event.target_id == str(request.public_id)
    assert "13900001234" not in str(event.after)
    assert "13900001234" not in client.get(url).content.decode()
