"""Every route is deny-by-default: it declares a rule, and people outside its
scope get 403 or 404 whatever object they put in the URL. The routes, the world
and the insider matrix are in tests/routes_matrix.py."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.routes_matrix import (
    ACTIONS,
    FILES,
    NOT_OPENED,
    OBJECT_ROUTES,
    OUTSIDERS,
    PAGES,
    PRIVATE,
    PUBLIC,
    ROUTES,
    _login,
    _page_text,
    assert_refused,
    insiders,
    url_for,
    world,
)

__all__ = ["insiders", "world"]  # fixtures the tests below take by name


def test_every_route_declares_a_permission_rule():
    missing = [
        name
        for name, p in ROUTES
        if not hasattr(p.callback, "gemba_rule")
        and getattr(p.callback, "login_required", True) is not False
    ]
    assert missing == []


def test_public_routes_are_only_the_sign_in_pages():
    public = {
        name.split(":")[-1]
        for name, p in ROUTES
        if not hasattr(p.callback, "gemba_rule")
    }
    assert public == PUBLIC


@pytest.mark.parametrize("name,pattern", PRIVATE, ids=[n for n, _p in PRIVATE])
def test_person_without_role_is_refused_everywhere(client, world, name, pattern):
    f.signed_in(client, world["none"])
    assert_refused(client, url_for(name, pattern, world["objects"]))


@pytest.mark.parametrize(
    "persona,name,pattern", OUTSIDERS, ids=[f"{n}-{p}" for p, n, _x in OUTSIDERS]
)
def test_objects_outside_scope_answer_403_or_404(client, world, persona, name, pattern):
    f.signed_in(client, world[persona])
    assert_refused(client, url_for(name, pattern, world["objects"]))


def test_every_object_route_is_in_the_insider_matrix():
    names = {n for n, _p in OBJECT_ROUTES}
    listed = PAGES.keys() | FILES.keys() | ACTIONS.keys() | NOT_OPENED
    assert names - listed == set(), "add the route to the insider matrix"
    assert listed - names == set()


INSIDER_PAGES = [(n, p) for n, p in OBJECT_ROUTES if n in PAGES]


@pytest.mark.parametrize(
    "name,pattern", INSIDER_PAGES, ids=[n for n, _p in INSIDER_PAGES]
)
def test_the_right_person_opens_the_page_and_sees_the_record(
    client, world, insiders, name, pattern
):
    persona, text = PAGES[name]
    _login(client, persona)
    response = client.get(url_for(name, pattern, world["objects"]))
    assert response.status_code == 200, (name, response.status_code)
    assert insiders.get(text, text) in _page_text(response)


INSIDER_FILES = [(n, p) for n, p in OBJECT_ROUTES if n in FILES]


@pytest.mark.parametrize(
    "name,pattern", INSIDER_FILES, ids=[n for n, _p in INSIDER_FILES]
)
def test_the_right_person_gets_the_file(client, world, insiders, name, pattern):
    persona, content_type = FILES[name]
    _login(client, persona)
    response = client.get(url_for(name, pattern, world["objects"]))
    assert response.status_code == 200, (name, response.status_code)
    assert response["Content-Type"].startswith(content_type)


INSIDER_ACTIONS = [(n, p) for n, p in OBJECT_ROUTES if n in ACTIONS]


@pytest.mark.parametrize(
    "name,pattern", INSIDER_ACTIONS, ids=[n for n, _p in INSIDER_ACTIONS]
)
def test_the_right_persons_action_reaches_the_record(
    client, world, insiders, name, pattern
):
    _login(client, ACTIONS[name])
    response = client.post(url_for(name, pattern, world["objects"]))
    assert response.status_code not in (403, 404), (name, response.status_code)
    assert response.status_code < 500


def test_anonymous_is_sent_to_sign_in(client, world):
    for name, pattern in PRIVATE:
        response = client.get(url_for(name, pattern, world["objects"]))
        if name.startswith("api:"):
            url = url_for(name, pattern, world["objects"])
            codes = {
                response.status_code,
                client.post(url).status_code,
                client.patch(url, "{}", content_type="application/json").status_code,
            }
            assert codes - {405} == {401}, name
            continue
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login"))


def test_garbage_query_parameters_never_cause_a_server_error(client, world):
    from gembahall.accounts.models import User
    from gembahall.org.models import Center

    center_a = Center.objects.get(public_id=world["objects"]["center"])
    director = f.person(center_a, username="director-a")
    f.grant(director, "director")
    garbage = {
        "year": "x",
        "page": "abc",
        "q": "<script>",
        "unit_kind": "zzz",
        "since": "2031-13-45",
        "result": "nope",
    }
    for username in ("director-a", "sys"):
        f.account_signed_in(client, User.objects.get(username=username))
        for name, pattern in PRIVATE:
            url = url_for(name, pattern, world["objects"])
            assert client.get(url, garbage).status_code < 500, (username, name)
