import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings

from tests.browser.snapshot import snapshot_take
from tests.conftest import CHROMIUM

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once per test process, with its photos and a copy of
    the database as the demo left it."""
    from gembahall.demo import build_demo

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        center, _created = build_demo(history_weeks=3, service_days=28)
        restore = snapshot_take()
    return SimpleNamespace(center_id=center.pk, media=media, restore=restore)


@pytest.fixture
def demo(demo_built, transactional_db, settings):
    """The demo's center, the database and photos put back as the demo left
    them: what an earlier test wrote is gone."""
    from gembahall.org.models import Center

    demo_built.restore()
    shutil.copytree(demo_built.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return Center.objects.get(pk=demo_built.center_id)


@pytest.fixture
def page_at(browser, live_server):
    """A new page of the given width, pointed at the live server."""
    contexts = []

    def make(width=1280, height=900, locale="zh-CN"):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale=locale,
            base_url=live_server.url,
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_until(page, predicate: str, arg=None, timeout=30_000):
    """Like page.wait_for_function, which evaluates its predicate with eval()
    and so fails under the pages' Content-Security-Policy: the predicate, a
    JavaScript function of `arg`, is polled inside one evaluated function."""
    page.evaluate(
        f"""async (arg) => {{
          const predicate = {predicate};
          const end = Date.now() + {timeout};
          while (!predicate(arg)) {{
            if (Date.now() > end) throw new Error("wait_until timed out");
            await new Promise((done) => setTimeout(done, 50));
          }}
        }}""",
        arg,
    )


def sign_in(page, username, password):
    """The password, then, for an account with an authenticator, its code."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/two-factor/verify/" in page.url:
        enter_code(page, totp_code(username))


def totp_code(username: str) -> str:
    from gembahall.demo import demo_otp_code

    return demo_otp_code(username)


def enter_code(page, code: str):
    page.fill("#id_token", code)
    page.click("[data-testid=otp-verify] button[type=submit]")
    page.wait_for_load_state("networkidle")


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
