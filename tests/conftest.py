import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from gembahall.core import workdays

    workdays.clear_cache()
    yield
    workdays.clear_cache()


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if i.get_closest_marker("browser")]
    if shutil.which(CHROMIUM) is None and os.path.exists(CHROMIUM) is False:
        if REQUIRE_BROWSER:
            raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        print(f"\n!!! {CHROMIUM} is missing: BROWSER TESTS ARE SKIPPED !!!\n")
        skip = pytest.mark.skip(reason="Chromium is not installed")
        for item in browser_items:
            item.add_marker(skip)


def pytest_sessionfinish(session, exitstatus):
    # Under xdist the workers run the tests and the controller holds every
    # report, so the check reads the reports, never the collection.
    if not REQUIRE_BROWSER or hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter else {}
    skipped = [r for r in stats.get("skipped", []) if "browser" in r.keywords]
    ran = [
        r
        for outcome in ("passed", "failed")
        for r in stats.get(outcome, [])
        if r.when == "call" and "browser" in r.keywords
    ]
    options = session.config.option
    whole_suite = session.config.args in ([], ["tests"]) or session.config.args == [
        str(session.config.rootpath / "tests")
    ]
    full_run = whole_suite and not options.keyword and not options.markexpr
    if skipped or (full_run and not ran):
        print("\nREQUIRE_BROWSER=1: browser tests were skipped or none were collected.")
        session.exitstatus = 1
