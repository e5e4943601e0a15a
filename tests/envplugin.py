"""Loaded with -p before Django's settings: the environment the tests run in."""

import os

os.environ.setdefault("GEMBAHALL_ALLOW_HTTP", "1")
os.environ.setdefault(
    "TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
)
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
