import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
# Set to 1 on a run that must not skip the tests carrying the marker.
REQUIRED = {
    "REQUIRE_BROWSER": "browser",
    "REQUIRE_POSTGRES": "postgres",
    "REQUIRE_PDFTOTEXT": "pdftotext",
}


@pytest.fixture
def hall(db):
    """A small hall: see tests/fixtures.py; an app's conftest adds to it."""
    from tests.fixtures import hall_build

    return hall_build()


@pytest.fixture(scope="session", autouse=True)
def _flushes_pass_the_audit_triggers():
    """Transactional tests empty every table after them, the audit table
    too. On SQLite the flush drops the append-only triggers and re-creates
    them in its own transaction; outside the tests a flush is refused."""
    from django.db import connection

    from gembahall.core.audit_sql import SQLITE_CREATE, SQLITE_DROP

    if connection.vendor != "sqlite":
        yield  # PostgreSQL's flush truncates, which its row trigger lets through
        return
    DatabaseOperations = type(connection.ops)
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if "core_event" not in tables:
            return statements
        return [*SQLITE_DROP, *statements, *SQLITE_CREATE]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GEMBAHALL_BACKUP_DIR = tmp_path / "backups"
    # The daily backup and photo check run in their own tests only.
    settings.GEMBAHALL_BACKUP_AT = ""
    settings.GEMBAHALL_PHOTO_CHECK_AT = ""


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


def _skip(items, reason):
    for item in items:
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if i.get_closest_marker("browser")]
    if shutil.which(CHROMIUM) is None and os.path.exists(CHROMIUM) is False:
        if REQUIRE_BROWSER:
            raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        print(f"\n!!! {CHROMIUM} is missing: BROWSER TESTS ARE SKIPPED !!!\n")
        _skip(browser_items, "Chromium is not installed")
    if shutil.which("pdftotext") is None:
        _skip(
            [i for i in items if i.get_closest_marker("pdftotext")],
            "poppler-utils missing",
        )
    from django.db import connection

    if connection.vendor != "postgresql":
        _skip(
            [i for i in items if i.get_closest_marker("postgres")],
            "runs on PostgreSQL only",
        )


def _whole_suite(config) -> bool:
    options = config.option
    whole = config.args in ([], ["tests"]) or config.args == [
        str(config.rootpath / "tests")
    ]
    return whole and not options.keyword and not options.markexpr


def pytest_sessionfinish(session, exitstatus):
    # Under xdist the workers run the tests and the controller holds every
    # report, so the check reads the reports, never the collection.
    if hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter else {}
    full_run = _whole_suite(session.config)
    for variable, marker in REQUIRED.items():
        if os.environ.get(variable) != "1":
            continue
        skipped = [r for r in stats.get("skipped", []) if marker in r.keywords]
        ran = [
            r
            for outcome in ("passed", "failed")
            for r in stats.get(outcome, [])
            if r.when == "call" and marker in r.keywords
        ]
        if skipped or (full_run and not ran):
            print(
                f"\n{variable}=1: {marker} tests were skipped or none were collected."
            )
            session.exitstatus = 1
