"""The director's sign-in with the authenticator's code at phone width, and
moving the authenticator to a new phone, pictured at 390 and 1280 px."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gembahall.demo import DEMO_PASSWORD
from gembahall.demo.otp import device_code
from tests.browser.conftest import enter_code, shot, sign_in, totp_code

pytestmark = pytest.mark.browser


def test_the_director_gives_the_code_after_the_password_on_a_phone(demo, page_at):
    page = page_at(width=390, height=844)
    page.goto("/problems/")
    page.fill("#id_username", "director")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/two-factor/verify/" in page.url
    assert page.locator("h1").inner_text().strip() == "动态验证码"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    shot(page, "otp-verify-390")
    # Before the code, no business page opens.
    page.goto("/problems/")
    assert "/accounts/two-factor/verify/" in page.url
    enter_code(page, totp_code("director"))
    assert page.url.endswith("/problems/")
    page.goto("/")
    assert "/two-factor/" not in page.url


def test_verify_page_at_desktop_width(demo, page_at):
    page = page_at(width=1280)
    page.goto("/accounts/login/")
    page.fill("#id_username", "secadmin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/two-factor/verify/" in page.url
    shot(page, "otp-verify-1280")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_director_moves_the_authenticator_to_a_new_phone(demo, page_at, width):
    page = page_at(width=width, height=900)
    sign_in(page, "director", DEMO_PASSWORD)
    page.goto("/accounts/two-factor/")
    page.click("text=更换手机")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("otp-qr").locator("svg").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    shot(page, f"otp-enrol-{width}")
    new = TOTPDevice.objects.get(user__username="director", confirmed=False)
    page.fill("#id_token", device_code(new))
    page.click("[data-testid=otp-enrol] button[type=submit]")
    page.wait_for_load_state("networkidle")
    codes = page.get_by_test_id("recovery-codes").locator("li")
    assert codes.count() == 10
    shot(page, f"otp-codes-{width}")
    assert TOTPDevice.objects.filter(user__username="director").get().confirmed
