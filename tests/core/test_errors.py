"""Every error page is the product's own, in Chinese, without a trace; a
database too busy to write answers 503 with Retry-After."""

import pytest
from django.db import OperationalError
from django.test import Client

from gembahall.reports import home as home_page
from tests import factories as f


@pytest.fixture
def clerk(db):
    c = f.center()
    w = f.unit(c)
    p = f.person(c, w, username="clerk")
    f.grant(p, "staff", unit=w)
    return p


@pytest.fixture
def browser(clerk):
    """A signed-in person's browser that shows error answers as people see them."""
    client = Client(raise_request_exception=False)
    f.signed_in(client, clerk)
    return client


def shown(response) -> str:
    body = response.content.decode()
    assert 'data-testid="error-page"' in body and 'lang="zh-hans"' in body
    assert "Traceback" not in body and "Server Error" not in body
    return body


def test_not_found_and_not_allowed_are_product_pages(browser):
    assert "未找到" in shown(browser.get("/no-such-page/"))
    answer = browser.get("/audit/")
    assert answer.status_code in (403, 404)
    shown(answer)


def test_a_server_error_is_a_product_page_without_a_trace(browser, monkeypatch):
    def broken(request):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(home_page, "home_context", broken)
    answer = browser.get("/")
    assert answer.status_code == 500
    body = shown(answer)
    assert "系统出错了" in body and "secret detail" not in body


def test_a_busy_database_answers_503_with_retry_after(browser, monkeypatch):
    def locked(request):
        raise OperationalError("database is locked")

    monkeypatch.setattr(home_page, "home_context", locked)
    answer = browser.get("/?tab=mine")
    assert answer.status_code == 503
    assert answer["Retry-After"] == "5"
    body = shown(answer)
    assert "系统繁忙" in body and 'href="/?tab=mine"' in body


def test_a_bad_host_and_an_expired_form_are_product_pages(clerk):
    client = Client(raise_request_exception=False)
    bad = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert bad.status_code == 400 and "请求有误" in shown(bad)
    strict = Client(enforce_csrf_checks=True)
    expired = strict.post(
        "/accounts/login/", {"username": "clerk", "password": f.PASSWORD}
    )
    assert expired.status_code == 403 and "表单已过期" in shown(expired)
