"""The session cap and the My sessions page."""

import pytest
from django.test import Client
from django.urls import reverse

from gembahall.accounts.models import SignedInSession
from gembahall.core.models import Event
from tests import factories as f

LOGIN = "/accounts/login/"
PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile"
DESK = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0"


@pytest.fixture
def clerk(db):
    c = f.center()
    w = f.unit(c)
    p = f.person(c, w, username="clerk")
    f.grant(p, "staff", unit=w)
    return p


def signed_in_client(agent=DESK, ip="10.0.0.1") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": "clerk", "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def test_a_fourth_session_ends_the_first_when_the_cap_is_three(clerk, settings):
    settings.SESSION_CAP = 3
    first, second, third = (signed_in_client() for _ in range(3))
    assert first.get("/").status_code == 200
    fourth = signed_in_client()
    answer = first.get("/")
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))
    for client in (second, third, fourth):
        assert client.get("/").status_code == 200
    assert SignedInSession.objects.filter(user=clerk.user).count() == 3
    ended = Event.objects.get(action="auth.session_end")
    assert ended.after == {"reason": "session_cap"}


def test_signed_out_sessions_do_not_count_against_the_cap(clerk, settings):
    settings.SESSION_CAP = 2
    first = signed_in_client()
    gone = signed_in_client()
    gone.post(reverse("accounts:logout"))
    signed_in_client()
    assert first.get("/").status_code == 200


def test_the_sessions_page_lists_and_ends_a_session(clerk):
    phone = signed_in_client(PHONE, "10.0.0.7")
    desk = signed_in_client(DESK, "10.0.0.9")
    page = desk.get(reverse("accounts:sessions"))
    body = page.content.decode()
    assert body.count('data-testid="session"') == 2
    assert "Chrome · Android" in body and "10.0.0.7" in body
    assert "Firefox · Windows" in body and "当前会话" in body
    other = next(r["session"] for r in page.context["rows"] if not r["current"])
    answer = desk.post(reverse("accounts:session_end", args=[other.public_id]))
    assert answer.status_code == 302
    assert phone.get("/").status_code == 302
    assert desk.get("/").status_code == 200
    listed = desk.get(reverse("accounts:sessions")).content.decode()
    assert listed.count('data-testid="session"') == 1
    event = Event.objects.get(action="auth.session_end")
    assert event.after == {"reason": "ended_by_person"}
    assert event.actor_id == clerk.pk


def test_ending_the_current_session_signs_out(clerk):
    desk = signed_in_client()
    mine = SignedInSession.objects.get(user=clerk.user)
    answer = desk.post(reverse("accounts:session_end", args=[mine.public_id]))
    assert answer["Location"] == reverse("accounts:login")
    assert desk.get("/").status_code == 302


def test_nobody_ends_another_persons_session(client, clerk):
    signed_in_client()
    theirs = SignedInSession.objects.get(user=clerk.user)
    other = f.person(clerk.center, clerk.unit, username="other")
    f.grant(other, "staff", unit=clerk.unit)
    f.signed_in(client, other)
    answer = client.post(reverse("accounts:session_end", args=[theirs.public_id]))
    assert answer.status_code == 404
    assert SignedInSession.objects.filter(pk=theirs.pk).exists()


def test_a_new_password_drops_the_other_sessions_from_the_list(clerk):
    other = signed_in_client(PHONE)
    desk = signed_in_client(DESK)
    new = "Brand-new-2026!x"
    desk.post(
        reverse("accounts:password_change"),
        {"old_password": f.PASSWORD, "new_password1": new, "new_password2": new},
    )
    body = desk.get(reverse("accounts:sessions")).content.decode()
    assert body.count('data-testid="session"') == 1
    assert other.get("/").status_code == 302
