"""A bounded, seeded property-based run against /api/v1/openapi.json: every
operation called by signed-in people and a queue system's key, with values
drawn from the schema and just past its bounds, answers without a 5xx."""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gembahall.casework.models import Source
from gembahall.casework.tokens import token_create
from tests import factories as f
from tests.inspections.test_views import hall as hall  # noqa: PLC0414

API = "/api/v1"
HUGE = [2**63, -(2**63) - 1, 2**64, 2**31, -1, 0]
TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


class Schema:
    """Strategies for the values one OpenAPI schema describes, with values
    just past its bounds mixed in."""

    def __init__(self, spec: dict, ids: list[str]):
        self.components = spec.get("components", {}).get("schemas", {})
        self.ids = ids

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def value(self, schema: dict):
        schema = self.resolve(schema)
        if "anyOf" in schema:
            return st.one_of([self.value(s) for s in schema["anyOf"]])
        if "enum" in schema:
            return st.sampled_from(schema["enum"]) | st.text(TEXT, max_size=4)
        kind = schema.get("type")
        if kind == "integer":
            lo, hi = schema.get("minimum"), schema.get("maximum")
            edges = [v for v in (lo, hi) if v is not None]
            edges += [v - 1 for v in edges[:1]] + [v + 1 for v in edges[1:]]
            return st.integers(lo, hi) | st.sampled_from(HUGE + edges)
        if kind == "number":
            return st.floats(allow_nan=False) | st.sampled_from(HUGE)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        if kind == "array":
            most = schema.get("maxItems", 3) + 1
            return st.lists(self.value(schema.get("items", {})), max_size=most)
        if kind == "object" or "properties" in schema:
            return self.object(schema)
        return self.string(schema)

    def string(self, schema: dict):
        form = schema.get("format")
        if form == "uuid":
            return st.sampled_from(self.ids) | st.uuids().map(str) | st.just("x")
        if form == "date-time":
            return st.datetimes().map(lambda d: d.isoformat() + "+08:00") | st.text(
                TEXT, max_size=5
            )
        if form == "binary":
            return st.just("")
        most = schema.get("maxLength", 40)
        return st.text(TEXT, max_size=min(most, 40)) | st.just("字" * (most + 1))

    def object(self, schema: dict):
        props = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: self.value(v) for k, v in props.items() if k in required},
            optional={k: self.value(v) for k, v in props.items() if k not in required},
        )


def operations(spec: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
    ]


def request(schema: Schema, method: str, path: str, op: dict):
    """A strategy for one call: the path, query and body (with its type)."""
    params = {
        p["name"]: (p["in"], schema.value(p["schema"]), p.get("required", False))
        for p in op.get("parameters", [])
    }
    content = op.get("requestBody", {}).get("content", {})
    body_type = next(iter(content), None)
    body = schema.value(content[body_type]["schema"]) if body_type else st.none()

    @st.composite
    def call(draw):
        url, query = path, {}
        for name, (where, values, required) in params.items():
            if where == "path":
                url = url.replace("{" + name + "}", str(draw(values)))
            elif required or draw(st.booleans()):
                query[name] = draw(values)
        query = {k: v for k, v in query.items() if v is not None}
        return method, url, query, body_type, draw(body)

    return call()


def send(client, key, method, url, query, body_type, body):
    if query:
        url = f"{url}?{urlencode(query, doseq=True)}"
    headers = {"authorization": f"Bearer {key}"} if "/service/" in url else {}
    if method == "get":
        return client.get(url, headers=headers)
    if body_type == "application/json":
        data, content_type = json.dumps(body), body_type
    elif body_type == "application/x-www-form-urlencoded":
        data, content_type = urlencode(body or {}), body_type
    else:
        fields = {k: v for k, v in (body or {}).items() if not isinstance(v, list)}
        return getattr(client, method)(url, fields, headers=headers)
    return getattr(client, method)(
        url, data, content_type=content_type, headers=headers
    )


@pytest.fixture
def spec_and_people(client, hall):
    source = Source.objects.create(center=hall["center"], kind="tickets", name="q")
    _token, key = token_create(actor=None, source=source, name="叫号机")
    problem = f.problem(hall["w1"])
    spec = client.get(f"{API}/openapi.json").json()
    ids = [
        str(v.public_id)
        for v in (hall["w1"], hall["checklist"], problem, hall["center"])
    ]
    f.signed_in(client, hall["inspector"])
    return spec, ids, key


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_generated_request_gets_a_server_error(client, spec_and_people, data):
    spec, ids, key = spec_and_people
    schema = Schema(spec, ids)
    ops = operations(spec)
    method, path, op = data.draw(st.sampled_from(ops))
    call = data.draw(request(schema, method, path, op))
    answer = send(client, key, *call)
    assert answer.status_code < 500, (call, answer.content[:300])
