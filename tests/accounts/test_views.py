"""Sign-in, lockout, session limits and password rules."""

import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gembahall.core.models import Event
from tests import factories as f

LOGIN = "/accounts/login/"


@pytest.fixture
def clerk(db):
    c = f.center()
    w = f.unit(c)
    p = f.person(c, w, username="clerk")
    f.grant(p, "staff", unit=w)
    return p


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def form_error(response) -> str:
    return response.context["form"].non_field_errors()[0]


def test_sign_in_page_is_in_chinese(client, db):
    body = client.get(LOGIN).content.decode()
    assert "登录" in body and 'lang="zh-hans"' in body


def test_sign_in_rotates_the_session_and_records_an_event(client, clerk):
    client.get(LOGIN)
    before = client.cookies.get("sessionid")
    response = sign_in(client, "clerk", f.PASSWORD)
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != (before.value if before else None)
    assert Event.objects.filter(action="auth.sign_in", result="ok").count() == 1


def test_sixth_attempt_is_refused_even_with_the_right_password(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            wrong = sign_in(client, "clerk", "wrong-password")
            clock.shift(timedelta(minutes=2))
        locked = sign_in(client, "clerk", f.PASSWORD)
        unknown = sign_in(client, "nobody-here", "whatever-password")
    assert wrong.status_code == locked.status_code == unknown.status_code == 200
    assert form_error(locked) == form_error(wrong) == form_error(unknown)
    assert "_auth_user_id" not in client.session
    assert Event.objects.filter(action="auth.sign_in", result="failed").count() == 7


def test_lock_lifts_after_fifteen_minutes(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            sign_in(client, "clerk", "wrong-password")
        clock.shift(timedelta(minutes=16))
        assert sign_in(client, "clerk", f.PASSWORD).status_code == 302


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(4):
            sign_in(client, "clerk", "wrong-password")
        clock.shift(timedelta(minutes=20))
        sign_in(client, "clerk", "wrong-password")
        assert sign_in(client, "clerk", f.PASSWORD).status_code == 302


def test_idle_session_expires_after_thirty_minutes(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, "clerk", f.PASSWORD)
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/").status_code == 302


def test_session_ends_after_twelve_hours_even_when_active(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, "clerk", f.PASSWORD)
        for _ in range(24):
            clock.shift(timedelta(minutes=29))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=29))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_ends_other_sessions(client, clerk):
    from django.test import Client

    other = Client()
    sign_in(other, "clerk", f.PASSWORD)
    sign_in(client, "clerk", f.PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": f.PASSWORD,
            "new_password1": "Brand-new-2026!x",
            "new_password2": "Brand-new-2026!x",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


@pytest.mark.parametrize(
    "password",
    ["Short-1a!", "alllowercaseletters", "Password1234"],
)
def test_weak_passwords_are_rejected(clerk, password):
    with pytest.raises(ValidationError):
        validate_password(password, clerk.user)


def test_password_like_the_username_is_rejected(db):
    from gembahall.accounts.models import User

    with pytest.raises(ValidationError):
        validate_password("Zhangwei-2026", User(username="zhangwei-2026"))


def test_a_strong_password_is_accepted(clerk):
    validate_password("Hall-window-A01x", clerk.user)


def test_sign_out_records_an_event(client, clerk):
    sign_in(client, "clerk", f.PASSWORD)
    client.post(reverse("accounts:logout"))
    assert Event.objects.filter(action="auth.sign_out").count() == 1
    assert client.get("/").status_code == 302


def sqlite_file() -> str:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's single write lock")
    return connection.settings_dict["NAME"]


@contextmanager
def write_lock_held(seconds: float):
    """Another connection holds SQLite's write lock, as a long upload did."""
    path = sqlite_file()
    held, done = threading.Event(), threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()
        done.set()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    try:
        yield done
    finally:
        thread.join()


@pytest.fixture
def staff(transactional_db):
    c = f.center()
    w = f.unit(c)
    p = f.person(c, w, username="clerk")
    f.grant(p, "staff", unit=w)
    return p


def test_sign_in_waits_out_a_write_lock_held_for_eight_seconds(staff):
    client = Client(raise_request_exception=False)
    with write_lock_held(8) as released:
        answer = sign_in(client, "clerk", f.PASSWORD)
        assert released.is_set()
    assert answer.status_code == 302 and answer.url == "/"
    assert client.get("/").status_code == 200


def test_sign_in_answers_503_when_the_lock_cannot_be_had(staff):
    from django.db import connection

    sqlite_file()
    options = connection.settings_dict["OPTIONS"]
    init = options["init_command"]
    # A busy timeout of one second stands for the worker's limit.
    options["init_command"] = re.sub(r"busy_timeout=\d+", "busy_timeout=1000", init)
    connection.close()
    try:
        client = Client(raise_request_exception=False)
        with write_lock_held(3):
            answer = sign_in(client, "clerk", f.PASSWORD)
    finally:
        options["init_command"] = init
        connection.close()
    assert answer.status_code == 503 and answer["Retry-After"]
    assert "系统繁忙" in answer.content.decode()


def test_sign_in_during_a_large_photo_upload_succeeds(staff, monkeypatch):
    from gembahall.core import photos
    from tests.core.test_photos import image_bytes, upload

    inspector = f.person(staff.center, username="insp")
    f.grant(inspector, "inspector")
    decoding, uploaded = threading.Event(), threading.Event()
    encode = photos._encode

    def slow(image, size=None):
        # Decoding a phone's 50-megapixel photo takes seconds on a hall server.
        if size is None:
            decoding.set()
            time.sleep(6)
        return encode(image, size)

    monkeypatch.setattr(photos, "_encode", slow)
    answers = {}

    def report():
        phone = Client(raise_request_exception=False)
        f.signed_in(phone, inspector)
        answers["upload"] = phone.post(
            reverse("rectification:report"),
            {
                "unit": staff.unit.pk,
                "description": "桌面杂乱",
                "severity": "general",
                "source": "spot",
                "photos": upload(image_bytes()),
            },
        )
        uploaded.set()
        connections.close_all()

    thread = threading.Thread(target=report)
    thread.start()
    try:
        assert decoding.wait(30)
        answer = sign_in(Client(raise_request_exception=False), "clerk", f.PASSWORD)
        assert not uploaded.is_set(), "the sign-in waited for the photo"
    finally:
        thread.join()
    assert answer.status_code == 302
    assert answers["upload"].status_code == 302
