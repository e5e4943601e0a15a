"""Results as their readers see them: the ranking with its tie and month rules,
the service dashboard's month, and the auditor's trail in words with its
Excel export."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gembahall.demo import DEMO_PASSWORD
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def busiest_month() -> str:
    """The month holding two or more of the demo's three weekly checks, where
    windows have the inspections the lists need."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    checks = Counter(f"{monday - timedelta(weeks=k):%Y-%m}" for k in (1, 2, 3))
    return checks.most_common(1)[0][0]


def test_ranking_dashboard_and_audit_trail_at_phone_and_desk_width(demo, page_at):
    month = busiest_month()
    for width in (1280, 390):
        page = page_at(width=width)
        sign_in(page, "director", DEMO_PASSWORD)
        page.goto("/inspections/ranking/")
        assert "上一个完整月份" in page.get_by_test_id("month-rule").inner_text()
        page.goto(f"/inspections/ranking/?month={month}")
        assert "第1名" in page.get_by_test_id("red-list").inner_text()
        assert "全部上榜" in page.get_by_test_id("list-rule").inner_text()
        shot(page, f"ranking-{width}")
        page.goto("/service/")
        assert "上一个完整月份" in page.get_by_test_id("month-rule").inner_text()
        shot(page, f"service-dashboard-{width}")

        page = page_at(width=width)
        sign_in(page, "auditor", DEMO_PASSWORD)
        page.goto("/audit/")
        assert "登录" in page.get_by_test_id("audit-table").inner_text()
        assert "auth.sign_in" not in page.get_by_test_id("audit-table").inner_text()
        page.select_option("#id_action", "auth.sign_in")
        auditor = page.locator("#id_actor option", has_text="（auditor）")
        page.select_option("#id_actor", auditor.get_attribute("value"))
        page.get_by_role("button", name="筛选").click()
        page.wait_for_load_state("networkidle")
        rows = page.get_by_test_id("audit-table").locator("tbody tr")
        assert rows.count() >= 1
        assert all("登录" in t for t in rows.all_inner_texts())
        shot(page, f"audit-trail-{width}")
        with page.expect_download() as download:
            page.get_by_test_id("audit-export").click()
        book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
        body = list(book.active.iter_rows(values_only=True))[1:]
        assert body and {row[2] for row in body} == {"登录"}
