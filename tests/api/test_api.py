"""/api/v1: checklists, inspections and item results with the pages' permissions."""

import json

from django.test import Client

from gembahall.inspections.models import Inspection
from tests import factories as f
from tests.core.test_photos import image_bytes, upload
from tests.inspections.test_views import hall as hall  # noqa: PLC0414

API = "/api/v1"


def call(client, method, path, body=None):
    if method == "get":
        response = client.get(f"{API}{path}")
    else:
        response = getattr(client, method)(
            f"{API}{path}", json.dumps(body or {}), content_type="application/json"
        )
    return response.status_code, response.json() if response.content else None


def test_schema_lists_the_endpoints(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert {
        "/api/v1/checklists",
        "/api/v1/inspections",
        "/api/v1/inspections/{inspection_id}/results/{result_id}",
        "/api/v1/inspections/{inspection_id}/results/{result_id}/photos",
        "/api/v1/inspections/{inspection_id}/finalize",
    } <= set(schema["paths"])


def test_without_a_session_the_api_answers_401(client, hall):
    assert client.get(f"{API}/inspections").status_code == 401


def test_inspector_runs_an_inspection_through_the_api(client, hall):
    f.signed_in(client, hall["inspector"])
    status, checklists = call(client, "get", "/checklists")
    assert status == 200 and checklists["count"] == 1
    status, created = call(
        client,
        "post",
        "/inspections",
        {
            "unit": str(hall["w1"].public_id),
            "checklist": str(hall["checklist"].public_id),
        },
    )
    assert status == 201 and created["state"] == "draft"
    results = created["results"]
    first, rest = results[0], results[1:]
    inspection = created["id"]
    status, answered = call(
        client,
        "patch",
        f"/inspections/{inspection}/results/{first['id']}",
        {"outcome": "deduct", "occurrences": 2, "note": "桌面有杂物"},
    )
    assert status == 200 and answered["points"] == "2.00"
    response = client.post(
        f"{API}/inspections/{inspection}/results/{first['id']}/photos",
        {"photo": upload(image_bytes())},
    )
    assert response.status_code == 201 and len(response.json()["sha256"]) == 64
    for result in rest:
        call(
            client,
            "patch",
            f"/inspections/{inspection}/results/{result['id']}",
            {"outcome": "pass"},
        )
    status, final = call(client, "post", f"/inspections/{inspection}/finalize")
    assert status == 200
    assert final["state"] == "final" and final["score"] == "87.50"
    status, body = call(
        client,
        "patch",
        f"/inspections/{inspection}/results/{first['id']}",
        {"outcome": "pass"},
    )
    assert status == 422 and "已定稿" in body["detail"]


def test_bad_answers_are_explained(client, hall):
    f.signed_in(client, hall["inspector"])
    _status, created = call(
        client,
        "post",
        "/inspections",
        {
            "unit": str(hall["w1"].public_id),
            "checklist": str(hall["checklist"].public_id),
        },
    )
    result = created["results"][0]["id"]
    path = f"/inspections/{created['id']}/results/{result}"
    status, body = call(client, "patch", path, {"outcome": "deduct", "occurrences": 0})
    assert status == 422 and "occurrences" in body["errors"]
    response = client.post(
        f"{API}{path}/photos", {"photo": upload(b"<html></html>", "x.jpg")}
    )
    assert response.status_code == 422 and "photo" in response.json()["errors"]


def test_window_heads_cannot_inspect_officially_nor_see_other_windows(client, hall):
    inspection = Inspection.objects.create(
        center=hall["center"],
        checklist=hall["checklist"],
        unit=hall["w1"],
        unit_label="A01",
        inspected_on="2026-11-02",
    )
    f.signed_in(client, hall["head1"])
    status, _body = call(
        client,
        "post",
        "/inspections",
        {
            "unit": str(hall["w1"].public_id),
            "checklist": str(hall["checklist"].public_id),
        },
    )
    assert status == 403
    assert call(client, "get", f"/inspections/{inspection.public_id}")[0] == 200
    f.signed_in(client, hall["head2"])
    assert call(client, "get", f"/inspections/{inspection.public_id}")[0] == 404
    status, listed = call(client, "get", "/inspections")
    assert listed["count"] == 0


def test_writes_need_the_csrf_token(hall):
    client = Client(enforce_csrf_checks=True)
    f.signed_in(client, hall["inspector"])
    status, _body = call(
        client,
        "post",
        "/inspections",
        {
            "unit": str(hall["w1"].public_id),
            "checklist": str(hall["checklist"].public_id),
        },
    )
    assert status == 403
    assert not Inspection.objects.exists()


def test_liaison_self_and_cross_inspects_through_the_api(client, hall):
    liaison = f.person(hall["center"], hall["w1"], username="liaison-api")
    f.grant(liaison, "liaison", unit=hall["w1"])
    f.signed_in(client, liaison)

    def start(unit, kind):
        return call(
            client,
            "post",
            "/inspections",
            {
                "unit": str(unit.public_id),
                "checklist": str(hall["checklist"].public_id),
                "kind": kind,
            },
        )

    status, created = start(hall["w1"], "self")
    assert status == 201 and created["kind"] == "self"
    status, created = start(hall["w2"], "cross")
    assert status == 201 and created["kind"] == "cross"
    assert created["unit"] == str(hall["w2"].public_id)
    # The liaison goes on with the cross-inspection they started.
    first = created["results"][0]["id"]
    status, answered = call(
        client,
        "patch",
        f"/inspections/{created['id']}/results/{first}",
        {"outcome": "pass"},
    )
    assert status == 200 and answered["outcome"] == "pass"
    # Neither kind reaches past its rules: no cross-inspection of one's own
    # window; another window, or a unit of another center, is not found.
    status, body = start(hall["w1"], "cross")
    assert status == 422 and "互查" in body["detail"]
    assert start(hall["w2"], "self")[0] == 404
    elsewhere = f.unit(f.center("别的中心"))
    assert start(elsewhere, "cross")[0] == 404


def test_lists_read_only_the_page_asked_for(client, hall):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        Inspection.objects.create(
            center=hall["center"],
            checklist=hall["checklist"],
            unit=hall["w1"],
            unit_label="A01",
            inspected_on="2026-11-02",
        )
    f.signed_in(client, hall["director"])
    with CaptureQueriesContext(connection) as ctx:
        status, page = call(client, "get", "/inspections?limit=2&offset=1")
    assert status == 200 and page["count"] == 5 and len(page["items"]) == 2
    assert any(" LIMIT 2 OFFSET 1" in q["sql"] for q in ctx.captured_queries)


def test_a_busy_database_answers_503_with_retry_after(hall, monkeypatch):
    from django.db import OperationalError

    from gembahall.inspections import services

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "inspection_start", locked)
    client = Client(raise_request_exception=False)
    f.signed_in(client, hall["inspector"])
    response = client.post(
        f"{API}/inspections",
        json.dumps(
            {
                "unit": str(hall["w1"].public_id),
                "checklist": str(hall["checklist"].public_id),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["detail"]
