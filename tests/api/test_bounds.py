"""/api/v1 answers bad input with 422 naming the field, never 500, and a
write without a session with 401."""

import json

from django.test import Client

from gembahall.inspections.models import Inspection
from tests import factories as f
from tests.inspections.test_views import hall as hall  # noqa: PLC0414

API = "/api/v1"
HUGE = 2**63


def test_paging_past_its_bounds_is_refused_naming_the_parameter(client, hall):
    f.signed_in(client, hall["inspector"])
    for path in ("/checklists", "/inspections", "/problems"):
        for query in (f"limit={HUGE}", f"offset={HUGE}", "limit=0", "offset=-1"):
            answer = client.get(f"{API}{path}?{query}")
            assert answer.status_code == 422, (path, query)
            field = query.split("=")[0]
            assert field in answer.json()["errors"], answer.json()
    assert client.get(f"{API}/problems?limit=500&offset=2147483647").status_code == 200


def test_an_answer_is_bounded_as_on_the_form(client, hall):
    f.signed_in(client, hall["inspector"])
    created = client.post(
        f"{API}/inspections",
        json.dumps(
            {
                "unit": str(hall["w1"].public_id),
                "checklist": str(hall["checklist"].public_id),
            }
        ),
        content_type="application/json",
    ).json()
    path = f"{API}/inspections/{created['id']}/results/{created['results'][0]['id']}"
    for body, field in (
        ({"outcome": "deduct", "occurrences": HUGE}, "occurrences"),
        ({"outcome": "deduct", "occurrences": 100}, "occurrences"),
        ({"outcome": "pass", "note": "x" * 501}, "note"),
    ):
        answer = client.patch(path, json.dumps(body), content_type="application/json")
        assert answer.status_code == 422 and field in answer.json()["errors"]
    answer = client.patch(
        path, json.dumps({"occurrences": HUGE}), content_type="application/json"
    )
    # In Chinese, the person's language, naming the bound.
    assert "不能大于 99" in answer.json()["errors"]["occurrences"][0]


def test_a_million_character_cause_is_refused(client, hall):
    problem = f.problem(hall["w1"])
    f.signed_in(client, hall["head1"])
    answer = client.post(
        f"{API}/problems/{problem.public_id}/fix",
        {"cause": "x" * 1_000_000, "action": "x"},
    )
    assert answer.status_code == 422 and "cause" in answer.json()["errors"]


def test_a_write_without_a_session_answers_401_not_csrf(hall):
    client = Client(enforce_csrf_checks=True)
    answer = client.post(
        f"{API}/inspections",
        json.dumps(
            {
                "unit": str(hall["w1"].public_id),
                "checklist": str(hall["checklist"].public_id),
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 401
    assert client.post(f"{API}/problems/{'0' * 32}/verify").status_code == 401
    assert not Inspection.objects.exists()
