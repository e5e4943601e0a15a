"""Each demo role signs in, sees its home page in Chinese, switches to English,
and the layout holds on a 390-px phone."""

import pytest

from gembahall.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser

HOME_MARKERS = {
    "director": "center-overview",
    "inspector": "center-overview",
    "windowhead": "my-windows",
    "liaison": "my-windows",
    "clerk": "my-roles",
    "sysadmin": "sysadmin-panel",
    "secadmin": "security-panel",
    "auditor": "audit-panel",
}


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@pytest.mark.parametrize("username", [a[0] for a in DEMO_ACCOUNTS])
def test_role_signs_in_sees_home_in_chinese_then_english(demo, page_at, username):
    page = page_at(width=390, height=844)
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    sign_in(page, username, DEMO_PASSWORD)
    assert page.url.endswith("/")
    section = page.get_by_test_id(HOME_MARKERS[username])
    assert section.is_visible()
    assert "您好" in page.locator("h1").inner_text()
    assert no_horizontal_overflow(page)
    shot(page, f"home-{username}-390")
    page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Hello")
    assert page.locator("html").get_attribute("lang") == "en"
    assert no_horizontal_overflow(page)
    shot(page, f"home-{username}-390-en")


def test_director_home_at_desktop_width_draws_the_chart(demo, page_at):
    page = page_at(width=1280)
    sign_in(page, "director", DEMO_PASSWORD)
    page.wait_for_selector("#dept-chart svg")
    assert "示范市行政服务中心" in page.get_by_test_id("current-center").inner_text()
    shot(page, "home-director-1280")


def test_wrong_password_shows_a_chinese_error(demo, page_at):
    page = page_at(width=390)
    sign_in(page, "clerk", "not-the-password")
    assert "请输入一个正确的" in page.get_by_test_id("login-error").inner_text()
    shot(page, "login-error-390")
