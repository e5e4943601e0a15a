"""Failed sign-ins throttled by address, and the same hashing work for every
sign-in answer."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.utils import timezone

from gembahall.accounts.models import User
from tests import factories as f

LOGIN = "/accounts/login/"


@pytest.fixture
def clerk(db):
    c = f.center()
    w = f.unit(c)
    p = f.person(c, w, username="clerk")
    f.grant(p, "staff", unit=w)
    return p


def from_address(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_failures_past_the_limit_answer_429_but_the_right_password_signs_in(
    clerk, settings
):
    settings.SIGN_IN_THROTTLE_FAILURES = 5
    hall = from_address("203.0.113.5")
    answers = [sign_in(hall, f"guess{n}", "Wrong-pass-2026!") for n in range(7)]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    assert "登录失败次数过多" in answers[-1].content.decode()
    assert answers[-1]["Retry-After"]
    assert sign_in(hall, "clerk", f.PASSWORD).status_code == 302
    assert hall.get("/").status_code == 200
    # Another address is counted on its own.
    elsewhere = sign_in(from_address("198.51.100.7"), "guess", "Wrong-pass-2026!")
    assert elsewhere.status_code == 200


def test_the_throttle_lifts_after_its_window(clerk, settings):
    settings.SIGN_IN_THROTTLE_FAILURES = 2
    hall = from_address("203.0.113.5")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(3):
            last = sign_in(hall, f"guess{n}", "Wrong-pass-2026!")
        assert last.status_code == 429
        clock.shift(settings.SIGN_IN_THROTTLE_WINDOW + timedelta(seconds=1))
        assert sign_in(hall, "guess", "Wrong-pass-2026!").status_code == 200


@pytest.fixture
def hasher_calls(monkeypatch):
    """Counts the password hasher's runs, whether to hash or to check."""
    calls = []
    for name in ("encode", "verify"):
        original = getattr(Argon2PasswordHasher, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Argon2PasswordHasher, name, counted)
    return calls


@pytest.mark.parametrize("answer", ["unknown", "locked", "wrong", "inactive"])
def test_the_hasher_runs_once_for_every_refused_sign_in(
    client, clerk, hasher_calls, answer
):
    username, password = "clerk", "Wrong-pass-2026!"
    if answer == "unknown":
        username = "nobody-here"
    elif answer == "locked":
        for _ in range(5):
            sign_in(client, "clerk", "Wrong-pass-2026!")
        password = f.PASSWORD
    elif answer == "inactive":
        User.objects.filter(pk=clerk.user_id).update(is_active=False)
        password = f.PASSWORD
    hasher_calls.clear()
    response = sign_in(client, username, password)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert len(hasher_calls) == 1, hasher_calls


def test_the_hasher_runs_once_for_a_right_password(client, clerk, hasher_calls):
    assert sign_in(client, "clerk", f.PASSWORD).status_code == 302
    assert hasher_calls == ["verify"]
