"""On a phone, the OSM office reviews the ratings held over a flood cap:
the page fits 390 px, in Chinese, and a kept complaint counts."""

import pytest

from gembahall.demo import DEMO_PASSWORD
from gembahall.org.models import Unit
from gembahall.ratings.models import Rating
from gembahall.ratings.services import rating_submit
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_osm_office_keeps_a_held_complaint_on_a_phone(demo, page_at, settings):
    settings.GEMBAHALL_RATING_LIMIT_PER_WINDOW = 0
    a01 = Unit.objects.get(center=demo, code="A01")
    held = rating_submit(
        window=a01, level=1, reasons=["attitude"], comment="等了很久没人理"
    )
    assert held.hold == "held"
    office = page_at(**PHONE)
    sign_in(office, "inspector", DEMO_PASSWORD)
    office.goto("/ratings/held/")
    assert office.locator("h1").inner_text() == "超限暂存的评价"
    listed = office.get_by_test_id("held-list")
    assert "该窗口一小时内评价过多" in listed.inner_text()
    assert office.evaluate("document.documentElement.scrollWidth") <= 390
    shot(office, "ratings-held-390")
    listed.locator(f"input[value='{held.public_id}']").check()
    office.get_by_test_id("held-keep").click()
    office.wait_for_load_state("networkidle")
    assert "已保留 1 条评价" in office.content()
    assert "没有待审核的评价" in office.get_by_test_id("held-list").inner_text()
    held.refresh_from_db()
    assert held.hold == Rating.Hold.KEPT and held.followup.problem is not None
