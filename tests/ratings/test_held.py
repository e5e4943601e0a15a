"""Flood caps: a complaint over a cap is kept and held out of the KPIs until
the OSM office keeps or discards it on its own page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gembahall.core.models import Event
from gembahall.ratings.models import Rating
from gembahall.ratings.services import RatingLimited, rating_review, rating_submit
from gembahall.reports.kpis import Scope, rating_kpis
from tests import factories as f


@pytest.fixture
def capped(hall, settings):
    settings.GEMBAHALL_RATING_LIMIT_PER_WINDOW = 3
    settings.GEMBAHALL_RATING_LIMIT_PER_ADDRESS = 5
    for _ in range(3):
        rating_submit(window=hall.a01, level=5, ip="10.0.0.1")
    return hall


def kpis(hall):
    today = timezone.localdate()
    return rating_kpis(Scope(hall.center.pk), today, today, today)


def complain(hall, **extra):
    return rating_submit(
        window=hall.a01, level=1, reasons=["attitude"], ip="10.0.0.9", **extra
    )


def test_a_complaint_over_the_cap_is_kept_and_held_out_of_the_kpis(capped):
    with pytest.raises(RatingLimited):
        rating_submit(window=capped.a01, level=5, ip="10.0.0.2")
    held = complain(capped, comment="态度很差")
    assert held.hold == "held" and held.over_cap == "window"
    assert not hasattr(held, "followup")
    assert kpis(capped)["ratings"] == 3 and kpis(capped)["bad_rate"] == 0
    # A second window from the same address is held at the address's cap.
    for _ in range(2):
        rating_submit(window=capped.a02, level=4, ip="10.0.0.1")
    other = rating_submit(window=capped.a02, level=2, reasons=["slow"], ip="10.0.0.1")
    assert other.hold == "held" and other.over_cap == "address"


def test_keeping_a_held_complaint_counts_it_and_opens_its_follow_up(capped):
    held = complain(capped)
    with pytest.raises(PermissionDenied):
        rating_review(actor=capped.head, rating=held, keep=True)
    rating_review(actor=capped.inspector, rating=held, keep=True)
    held.refresh_from_db()
    assert held.hold == "kept" and held.reviewed_by == capped.inspector
    assert held.followup.problem is not None
    assert kpis(capped)["ratings"] == 4 and kpis(capped)["bad_rate"] == 0.25
    event = Event.objects.get(action="rating.review")
    assert event.actor_id == capped.inspector.pk
    assert event.target_id == str(held.public_id)
    assert event.center_id == capped.center.pk
    assert event.before == {"hold": "held", "over_cap": "window"}
    assert event.after == {"hold": "kept"}
    with pytest.raises(ValidationError, match="reviewed already"):
        rating_review(actor=capped.inspector, rating=held, keep=False)


def test_a_discarded_rating_stays_on_record_and_never_counts(capped):
    held = complain(capped)
    rating_review(actor=capped.inspector, rating=held, keep=False)
    held.refresh_from_db()
    assert held.hold == "discarded" and not hasattr(held, "followup")
    assert kpis(capped)["ratings"] == 3
    assert Event.objects.get(action="rating.review").after == {"hold": "discarded"}


def test_a_flood_from_the_page_still_takes_the_complaint(client, hall, settings):
    settings.GEMBAHALL_RATING_LIMIT_PER_WINDOW = 2
    url = reverse("rate:rate_window", args=[hall.a01.public_id])
    for _ in range(2):
        assert client.post(url, {"level": "5"}).status_code == 200
    assert client.post(url, {"level": "5"}).status_code == 429
    answer = client.post(url, {"level": "1", "reasons": ["attitude"]})
    assert answer.status_code == 200 and "感谢您的评价" in answer.content.decode()
    assert Rating.objects.get(level=1).hold == "held"


def test_the_held_page_lists_in_fixed_queries_and_keeps_or_discards(
    client, capped, django_assert_num_queries
):
    first = complain(capped, comment="<b>刷评</b>")
    f.signed_in(client, capped.inspector)
    url = reverse("ratings:held")
    client.get(url)
    with django_assert_num_queries(7) as one:
        page = client.get(url)
    assert page.context["page"].paginator.count == 1
    for _ in range(5):
        complain(capped)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    html = page.content.decode()
    assert len(page.context["page"]) == 6
    assert "&lt;b&gt;刷评&lt;/b&gt;" in html
    assert "该窗口一小时内评价过多" in html
    rest = Rating.objects.filter(hold="held").exclude(pk=first.pk)
    answer = client.post(url, {"ratings": [first.public_id], "decision": "keep"})
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.hold == "kept" and kpis(capped)["ratings"] == 4
    client.post(url, {"ratings": [r.public_id for r in rest], "decision": "discard"})
    assert not Rating.objects.filter(hold="held").exists()
    assert Event.objects.filter(action="rating.review").count() == 6
    assert "没有待审核的评价" in client.get(url).content.decode()


def test_the_held_page_is_the_osm_offices(client, capped):
    held = complain(capped)
    f.signed_in(client, capped.head)
    url = reverse("ratings:held")
    assert client.get(url).status_code == 403
    client.post(url, {"ratings": [held.public_id], "decision": "keep"})
    held.refresh_from_db()
    assert held.hold == "held"


def test_nothing_ticked_is_explained(client, capped):
    f.signed_in(client, capped.inspector)
    answer = client.post(reverse("ratings:held"), {"decision": "keep"}, follow=True)
    assert "请至少勾选一条评价。" in answer.content.decode()
