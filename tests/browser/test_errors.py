"""What a person in the hall sees when something goes wrong, and dates on
the hall's own day, at phone and desk widths."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError

from gembahall.inspections import services as inspections
from gembahall.rectification import services
from gembahall.rectification.models import Problem
from gembahall.reports import home as home_page
from tests import factories as f
from tests.browser.conftest import shot, sign_in
from tests.rectification.conftest import photo

pytestmark = pytest.mark.browser


def test_error_pages_and_local_dates_in_the_hall(
    transactional_db, page_at, monkeypatch
):
    center = f.center()
    window = f.unit(center)
    inspector = f.person(center, username="insp")
    f.grant(inspector, "inspector")
    problem = services.problem_report(
        actor=inspector, unit=window, description="桌面摆放杂乱", uploads=[photo()]
    )
    # 01:30 on 1 December in the hall, still 30 November in UTC.
    raised = datetime(2026, 12, 1, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    Problem.objects.filter(pk=problem.pk).update(created_at=raised)
    inspection = inspections.inspection_start(
        actor=inspector, unit=window, checklist=f.checklist(center, n=3)
    )

    for width in (390, 1280):
        page = page_at(width=width, height=844 if width == 390 else 900)
        sign_in(page, "insp", f.PASSWORD)
        page.goto("/problems/improvements/new/")
        content = page.content()
        assert "2026-12-01" in content and "2026-11-30" not in content
        shot(page, f"hall-improvement-new-{width}")

        answer = page.goto("/no-such-page/")
        assert answer.status == 404 and "未找到" in page.inner_text("h1")
        shot(page, f"hall-404-{width}")

        with monkeypatch.context() as patch:
            patch.setattr(home_page, "home_context", busy)
            answer = page.goto("/?tab=mine")
        assert answer.status == 503 and answer.headers["retry-after"] == "5"
        assert "系统繁忙" in page.inner_text("h1")
        shot(page, f"hall-503-{width}")
        page.get_by_test_id("retry").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("error-page").count() == 0

        with monkeypatch.context() as patch:
            patch.setattr(home_page, "home_context", broken)
            answer = page.goto("/")
        assert answer.status == 500 and "系统出错了" in page.inner_text("h1")
        assert "Traceback" not in page.content()
        shot(page, f"hall-500-{width}")

        # An answer on the phone that could not be saved says so.
        page.goto(f"/inspections/{inspection.public_id}/")
        with monkeypatch.context() as patch:
            patch.setattr(inspections, "item_answer", busy)
            page.locator("label[for^=pass-]").first.click()
            alert = page.get_by_test_id("request-failed")
            alert.wait_for(state="visible")
            assert "系统繁忙" in alert.inner_text()
            shot(page, f"hall-answer-not-saved-{width}")
        page.locator("label[for^=deduct-]").first.click()
        alert.wait_for(state="hidden")

        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.context.clear_cookies()
        page.fill("#id_username", "insp")
        page.fill("#id_password", f.PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "表单已过期" in page.inner_text("h1")
        shot(page, f"hall-403-csrf-{width}")


def busy(*args, **kwargs):
    raise OperationalError("database is locked")


def broken(*args, **kwargs):
    raise RuntimeError("a bug")
