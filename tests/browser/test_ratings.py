"""A citizen rates a service on a phone from the ticket's QR code; the
window head sees the follow-up with its deadlines; the ticket cannot be
rated twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gembahall.casework.events import ticket_event_record
from gembahall.casework.models import Source
from gembahall.core.workdays import add_working_days
from gembahall.org.demo import DEMO_PASSWORD
from gembahall.org.models import Person
from gembahall.ratings.models import Rating
from tests.browser.conftest import shot, sign_in

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
    citizen.goto(f"/rate/t/demo/{ticket.ticket_no}/")
    assert "A01" in citizen.locator("p.sub").inner_text()
    shot(citizen, "rate-390")
    citizen.get_by_label("非常不满意").check()
    citizen.get_by_label("窗口工作人员态度生硬、不耐烦").check()
    citizen.locator("textarea[name=comment]").fill("问了三遍才告诉我缺什么材料")
    citizen.get_by_role("button", name="提交评价").click()
    citizen.wait_for_load_state("networkidle")
    assert "感谢" in citizen.locator("h1").inner_text()
    rating = Rating.objects.get(ticket=ticket)
    assert rating.level == 1 and rating.reasons == ["attitude"]

    # The same ticket again: refused, and nothing more is stored.
    citizen.goto(f"/rate/t/demo/{ticket.ticket_no}/")
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
    shot(head, "rating-followup-390")
