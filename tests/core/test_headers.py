"""What every answer tells the browser: a strict Content-Security-Policy that
no template needs loosened, and nothing a signed-in person saw left in a
cache for the next person at the same computer."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.core.test_photos import image_bytes, store
from tests.factories import signed_in

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "gembahall"
# What a policy without 'unsafe-inline' refuses: style attributes, inline
# <style> and <script> blocks (a script with src is fine) and on…= handlers.
INLINE = re.compile(
    r"""\sstyle\s*=|<style\b|<script\b(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=|javascript:""",
    re.IGNORECASE,
)


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_no_template_has_inline_script_style_or_handler():
    found = []
    for path in sorted(TEMPLATE_ROOT.rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if INLINE.search(line):
                found.append(f"{path.relative_to(TEMPLATE_ROOT)}:{number}")
    assert found == []


def test_the_inline_check_catches_each_kind():
    for line in (
        '<div style="width:1%">',
        "<style>body{}</style>",
        "<script>alert(1)</script>",
        '<select onchange="this.form.submit()">',
        '<a href="javascript:void(0)">',
    ):
        assert INLINE.search(line), line
    assert not INLINE.search('<script src="/static/app.js" defer></script>')


@pytest.mark.django_db
def test_every_answer_carries_a_strict_content_security_policy(client, hall):
    answers = [client.get(reverse("accounts:login")), client.get("/no-such-page/")]
    signed_in(client, hall["director"])
    answers.append(client.get(reverse("core:home")))
    for response in answers:
        csp = policy(response)
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
        assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_signed_in_pages_and_photos_are_not_stored(client, hall):
    photo = store(hall, image_bytes())
    signed_in(client, hall["inspector"])
    for url in (
        reverse("core:home"),
        reverse("rectification:problems"),
        reverse("core:photo_thumbnail", args=[photo.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


@pytest.mark.django_db
def test_answers_to_people_not_signed_in_are_not_marked_no_store(client):
    response = client.get(reverse("healthz"))
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.skipif(
    not (Path(settings.STATIC_ROOT) / "vendor").exists(),
    reason="collectstatic has not run (make setup runs it)",
)
@pytest.mark.django_db
def test_static_files_keep_their_caching_for_a_signed_in_person(client, hall):
    signed_in(client, hall["director"])
    response = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
