"""On a phone, the window head appeals against a bad rating of their window
with a photo, and the OSM office upholds it: the rating leaves the KPIs."""

import io

import pytest

from gembahall.demo import DEMO_PASSWORD
from gembahall.org.models import Unit
from gembahall.ratings.models import Appeal
from gembahall.ratings.services import rating_submit
from tests.browser.conftest import ARTIFACTS, shot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def evidence_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), "steelblue").save(out, format="PNG")
    return out.getvalue()


def test_the_window_head_appeals_and_the_osm_office_upholds(demo, page_at):
    a01 = Unit.objects.get(center=demo, code="A01")
    rating = rating_submit(
        window=a01, level=1, reasons=["attitude"], phone="13812345678"
    )
    head = page_at(**PHONE)
    sign_in(head, "windowhead", DEMO_PASSWORD)
    head.goto("/")
    assert head.get_by_test_id("rating-card-link").first.is_visible()
    shot(head, "home-rating-card-390")
    head.goto(rating.get_absolute_url())
    head.get_by_test_id("reveal-form").locator("button").click()
    head.wait_for_load_state("networkidle")
    assert head.get_by_test_id("phone-full").inner_text() == "13812345678"
    shot(head, "rating-reveal-390")
    head.get_by_test_id("appeal-offer").locator("a").click()
    head.wait_for_load_state("networkidle")
    head.locator("textarea[name=reason]").fill("调取监控：该时段无群众在本窗口办理")
    head.locator("input[name=photos]").set_input_files(
        files=[{"name": "监控.png", "mimeType": "image/png", "buffer": evidence_png()}]
    )
    shot(head, "rating-appeal-form-390")
    head.get_by_role("button", name="保存").click()
    head.wait_for_load_state("networkidle")
    assert head.get_by_test_id("appeal-state").inner_text() == "待OSM办公室审核"
    assert head.get_by_test_id("appeal-photos").locator("img").count() == 1
    shot(head, "rating-appeal-filed-390")

    office = page_at(**PHONE)
    sign_in(office, "inspector", DEMO_PASSWORD)
    office.goto("/ratings/?show=appeal")
    office.get_by_test_id("rating-list").locator(
        f"a[href='{rating.get_absolute_url()}']"
    ).first.click()
    office.wait_for_load_state("networkidle")
    form = office.get_by_test_id("decide-form")
    form.locator("textarea[name=reason]").fill("监控核实，属恶意差评")
    form.locator("button[value=upheld]").click()
    office.wait_for_load_state("networkidle")
    assert "申诉成立" in office.get_by_test_id("appeal-state").inner_text()
    assert office.get_by_test_id("excluded").is_visible()
    shot(office, "rating-appeal-upheld-390")
    appeal = Appeal.objects.get(rating=rating)
    assert appeal.state == "upheld"
    rating.refresh_from_db()
    assert rating.excluded_at is not None
    wide = page_at(width=1280)
    sign_in(wide, "inspector", DEMO_PASSWORD)
    wide.goto(rating.get_absolute_url())
    shot(wide, "rating-appeal-upheld-1280")
    assert ARTIFACTS.exists()


def test_the_window_head_records_the_return_visit_after_the_fix(demo, page_at):
    from django.utils import timezone

    a01 = Unit.objects.get(center=demo, code="A01")
    rating = rating_submit(window=a01, level=2, reasons=["slow"])
    problem = rating.followup.problem
    problem.state, problem.closed_on = "closed", timezone.localdate()
    problem.save(update_fields=["state", "closed_on"])
    head = page_at(**PHONE)
    sign_in(head, "windowhead", DEMO_PASSWORD)
    head.goto(rating.get_absolute_url())
    form = head.get_by_test_id("visit-form")
    form.get_by_label("对整改满意").check()
    form.locator("textarea[name=note]").fill("窗口已改进，群众表示满意")
    shot(head, "rating-visit-form-390")
    form.locator("button[type=submit]").click()
    head.wait_for_load_state("networkidle")
    assert "对整改满意" in head.get_by_test_id("visit").inner_text()
    shot(head, "rating-visit-done-390")
    wide = page_at(width=1280)
    sign_in(wide, "windowhead", DEMO_PASSWORD)
    wide.goto(rating.get_absolute_url())
    shot(wide, "rating-visit-done-1280")
    wide.goto("/service/")
    assert "整改后回访满意率" in wide.content()
    shot(wide, "service-visit-kpi-1280")
