"""Loaded with -p before Django's settings: the environment the tests run in."""

import os

os.environ.setdefault("GEMBAHALL_ALLOW_HTTP", "1")
os.environ.setdefault(
    "SECRET_KEY", "tests-only-secret-key-never-used-by-a-server-0123456789"
)
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEY", "tests-only-field-key-never-used-by-a-server-0123456789"
)
os.environ.setdefault(
    "TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
)
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# On SQLite the test database is a file, so the live server's threads each open
# their own connection: a page loading several photos at once stays correct.
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    import tempfile

    os.environ.setdefault(
        "TEST_DATABASE_NAME",
        os.path.join(tempfile.gettempdir(), f"gembahall-test-{os.getpid()}.sqlite3"),
    )
