"""/api/v1/problems: scoped lists, a fix with photos, verify and return."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gembahall.core.models import Event
from tests import factories as f
from tests.rectification.conftest import hall as hall  # noqa: PLC0414
from tests.rectification.conftest import photo
from tests.rectification.conftest import problem as problem  # noqa: PLC0414

API = "/api/v1/problems"


def post_json(client, path, body):
    response = client.post(path, body)
    return response.status_code, response.json()


def test_schema_lists_the_problem_endpoints(client):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        API,
        f"{API}/{{problem_id}}",
        f"{API}/{{problem_id}}/fix",
        f"{API}/{{problem_id}}/verify",
        f"{API}/{{problem_id}}/return",
    } <= paths


def test_fix_return_and_verify_through_the_api(client, hall, problem):
    url = f"{API}/{problem.public_id}"
    f.signed_in(client, hall["head"])
    listed = client.get(API).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == str(problem.public_id)
    response = client.post(f"{url}/fix", {"cause": "c", "action": "a"})
    assert response.status_code == 422 and "photos" in response.json()["errors"]
    response = client.post(
        f"{url}/fix", {"cause": "未归位", "action": "重新摆放", "photos": [photo()]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "submitted" and len(body["steps"][-1]["photos"]) == 1
    assert post_json(client, f"{url}/verify", {})[0] == 403
    f.signed_in(client, hall["inspector"])
    status, body = post_json(client, f"{url}/return", {"note": ""})
    assert status == 422 and "note" in body["errors"]
    status, body = post_json(client, f"{url}/return", {"note": "抽屉未定位"})
    assert status == 200 and body["state"] == "returned"
    f.signed_in(client, hall["liaison"])
    client.post(f"{url}/fix", {"cause": "c", "action": "a", "photos": [photo()]})
    f.signed_in(client, hall["inspector"])
    status, body = post_json(client, f"{url}/verify", {"note": "合格"})
    assert status == 200 and body["state"] == "closed"
    status, body = post_json(client, f"{url}/verify", {})
    assert status == 422 and "已有人先行处理" in body["detail"]
    assert Event.objects.filter(action="problem.verify").count() == 1


def test_another_window_gets_404(client, hall, problem):
    f.signed_in(client, hall["head2"])
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}/{problem.public_id}").status_code == 404
    response = client.post(f"{API}/{problem.public_id}/fix", {"cause": "c"})
    assert response.status_code == 404


def test_the_list_reads_only_its_page(client, hall):
    from gembahall.rectification.models import Problem

    def make(n):
        Problem.objects.bulk_create(
            Problem(
                center=hall["center"],
                unit=hall["w1"],
                source="spot",
                description=str(i),
            )
            for i in range(n)
        )

    f.signed_in(client, hall["director"])
    make(3)
    client.get(API)
    with CaptureQueriesContext(connection) as few:
        client.get(API)
    make(40)
    with CaptureQueriesContext(connection) as more:
        body = client.get(f"{API}?limit=10").json()
    assert body["count"] == 43 and len(body["items"]) == 10
    assert len(few.captured_queries) == len(more.captured_queries)


def test_whoever_submitted_a_fix_cannot_verify_it_through_the_api(client, hall):
    from gembahall.rectification import services

    # An inspector answers for their own office, and fixes its problem.
    office = hall["w1"]
    office.head = hall["inspector"]
    office.save()
    problem = services.problem_report(
        actor=hall["director"],
        unit=office,
        description="档案柜未上锁",
        uploads=[photo()],
    )
    url = f"{API}/{problem.public_id}"
    f.signed_in(client, hall["inspector"])
    response = client.post(
        f"{url}/fix", {"cause": "c", "action": "a", "photos": [photo()]}
    )
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    status, body = post_json(client, f"{url}/verify", {})
    assert status == 422 and "须由其他督查人员验收" in body["detail"]
    assert client.get(url).json()["state"] == "submitted"
    f.signed_in(client, hall["inspector2"])
    status, body = post_json(client, f"{url}/verify", {})
    assert status == 200 and body["state"] == "closed"
    assert Event.objects.filter(action="problem.verify").count() == 1
