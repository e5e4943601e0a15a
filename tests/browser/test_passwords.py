"""A person given a temporary password signs in on a phone and is made to
choose their own before anything else; their sessions page at both widths."""

import pytest

from gembahall.org import services
from tests import factories as f
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser

TEMPORARY = "Temp-pass-77!x"
OWN = "Own-choice-2026!"


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def test_a_temporary_password_is_changed_at_first_sign_in_on_a_phone(
    transactional_db, page_at
):
    center = f.center()
    window = f.unit(center)
    clerk = f.person(center, window, username="clerk", name="李娜")
    f.grant(clerk, "staff", unit=window)
    admin = f.person(center, username="ops")
    f.grant(admin, "sysadmin")
    services.account_set_password(actor=admin, person=clerk, password=TEMPORARY)

    page = page_at(width=390, height=844)
    sign_in(page, "clerk", TEMPORARY)
    assert page.url.endswith("/accounts/password/")
    assert "临时密码" in page.get_by_test_id("password-due").inner_text()
    assert no_horizontal_overflow(page)
    shot(page, "password-temporary-390")
    page.goto("/")
    assert page.url.endswith("/accounts/password/")

    page.fill("#id_old_password", TEMPORARY)
    page.fill("#id_new_password1", TEMPORARY)
    page.fill("#id_new_password2", TEMPORARY)
    page.click("form:has(#id_old_password) button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "最近 5 次" in page.inner_text("form:has(#id_old_password)")
    shot(page, "password-reused-390")

    page.fill("#id_old_password", TEMPORARY)
    page.fill("#id_new_password1", OWN)
    page.fill("#id_new_password2", OWN)
    page.click("form:has(#id_old_password) button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/") and "您好" in page.locator("h1").inner_text()

    desk = page_at(width=1280)
    sign_in(desk, "clerk", OWN)
    for width, p in ((390, page), (1280, desk)):
        p.goto("/accounts/sessions/")
        assert p.get_by_test_id("session").count() == 2
        assert no_horizontal_overflow(p)
        shot(p, f"sessions-{width}")
    desk.goto("/accounts/password/")
    shot(desk, "password-change-1280")
