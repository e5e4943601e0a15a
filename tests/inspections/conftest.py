"""The inspection tests' hall and clock, shared by the page and results tests."""

from tests.inspections.test_views import hall, mid_month  # noqa: F401
