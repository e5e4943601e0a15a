"""A citizen rates a service on a phone from the ticket's QR code, is shown
at once what is missing, and leaves two sub-scores out; the window head sees
the follow-up with its deadlines and the sub-scores not given; the ticket
cannot be rated twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gembahall.casework.events import ticket_event_record
from gembahall.casework.models import Source
from gembahall.core.periods import default_month
from gembahall.core.workdays import add_working_days
from gembahall.demo import DEMO_PASSWORD
from gembahall.org.models import Person
from gembahall.ratings.models import Rating
from tests.browser.conftest import ARTIFACTS, shot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def served_ticket(center):
    source = Source.objects.get(center=center, name="叫号系统")
    clerk = Person.objects.get(user__username="clerk")
    now = timezone.now() - timedelta(minutes=30)
    ticket_event_record(
        source=source, event_id="b1", ticket_no="A01901", kind="taken", at=now
    )
    ticket, _new = ticket_event_record(
        source=source,
        event_id="b2",
        ticket_no="A01901",
        kind="finished",
        at=now + timedelta(minutes=20),
        window="A01",
        staff_no=clerk.staff_number,
        status="served",
    )
    return ticket


def test_a_bad_rating_reaches_the_window_head(demo, page_at):
    ticket = served_ticket(demo)
    citizen = page_at(**PHONE)
    citizen.goto(f"/rate/t/demo/{ticket.ticket_no}/{ticket.rating_token}/")
    assert "A01" in citizen.locator("p.sub").inner_text()
    shot(citizen, "rate-390")
    # A low rating with only the attitude sub-score and no reason: the answer
    # opens at what is missing, in view on the phone.
    citizen.get_by_label("非常不满意").check()
    citizen.locator("input[name=attitude][value='1']").check()
    citizen.locator("textarea[name=comment]").fill("问了三遍才告诉我缺什么材料")
    citizen.get_by_role("button", name="提交评价").click()
    citizen.wait_for_load_state("networkidle")
    errors = citizen.locator("#errors")
    assert "请至少选择一个原因" in errors.inner_text()
    assert in_view(citizen, errors) and in_view(citizen, citizen.locator("#f-reasons"))
    viewport_shot(citizen, "rate-missing-reason-390")
    citizen.get_by_label("窗口工作人员态度生硬、不耐烦").check()
    citizen.get_by_role("button", name="提交评价").click()
    citizen.wait_for_load_state("networkidle")
    assert "感谢" in citizen.locator("h1").inner_text()
    rating = Rating.objects.get(ticket=ticket)
    assert rating.level == 1 and rating.reasons == ["attitude"]
    assert (rating.efficiency, rating.quality, rating.attitude) == (None, None, 1)

    # The same ticket again: refused, and nothing more is stored.
    citizen.goto(f"/rate/t/demo/{ticket.ticket_no}/{ticket.rating_token}/")
    citizen.get_by_label("满意", exact=True).check()
    citizen.get_by_role("button", name="提交评价").click()
    citizen.wait_for_load_state("networkidle")
    assert "已经评价" in citizen.locator(".err").first.inner_text()
    assert Rating.objects.filter(ticket=ticket).count() == 1

    head = page_at(**PHONE)
    sign_in(head, "windowhead", DEMO_PASSWORD)
    head.goto("/ratings/?show=callback")
    head.get_by_test_id("rating-list").locator("a").first.click()
    head.wait_for_load_state("networkidle")
    today = timezone.localdate()
    callback_due = add_working_days(today, 1).date
    rectify_due = add_working_days(today, 15).date
    assert head.get_by_test_id("callback-due").inner_text() == str(callback_due)
    assert head.get_by_test_id("rectify-due").inner_text() == str(rectify_due)
    assert "问了三遍" in head.get_by_test_id("comment").inner_text()
    # Sub-scores the citizen did not give are shown as not given.
    assert head.get_by_test_id("sub-efficiency").inner_text() == "未评价"
    assert head.get_by_test_id("sub-quality").inner_text() == "未评价"
    assert head.get_by_test_id("sub-attitude").inner_text() == "1★"
    shot(head, "rating-followup-390")
    wide = page_at(width=1280)
    sign_in(wide, "windowhead", DEMO_PASSWORD)
    wide.goto(rating.get_absolute_url())
    shot(wide, "rating-followup-1280")
    wide.goto(f"/rate/t/demo/{ticket.ticket_no}/{ticket.rating_token}/")
    shot(wide, "rate-1280")
    # The dashboard's month: a picker in the page's language, not the
    # browser's, showing the month as the page writes it.
    english_browser = page_at(**PHONE, locale="en-US")
    sign_in(english_browser, "windowhead", DEMO_PASSWORD)
    english_browser.goto("/")
    english_browser.get_by_test_id("language-switch").locator(
        "button[value=zh-hans]"
    ).click()
    english_browser.goto("/service/")
    month = english_browser.locator("input[name=month]")
    assert month.input_value() == default_month(today).strftime("%Y-%m")
    month.click()
    picker = english_browser.locator(".flatpickr-calendar.open")
    assert "十二月" in picker.inner_text() and "Dec" not in picker.inner_text()
    english_browser.wait_for_timeout(400)  # the picker's opening animation
    viewport_shot(english_browser, "service-month-390")
    wide.goto("/service/")
    shot(wide, "service-dashboard-1280")


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= height


def viewport_shot(page, name):
    """What the citizen sees without scrolling."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
