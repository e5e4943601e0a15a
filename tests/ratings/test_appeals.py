"""The window's side of a bad rating: its appeal, the number revealed for the
call, the return visit after the fix, and its own rating card."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gembahall.core.models import Event, Notification
from gembahall.ratings.appeals import appeal_decide, appeal_file
from gembahall.ratings.models import Appeal, FollowUp
from gembahall.ratings.services import rating_submit
from gembahall.ratings.visits import followup_visit
from gembahall.reports.kpis import Scope, rating_kpis
from tests import factories as f

PHONE = "13812345678"


def kpis(hall):
    today = timezone.localdate()
    return rating_kpis(Scope(hall.center.pk), today, today, today)


def photo(name="evidence.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def bad(hall):
    rating_submit(window=hall.a01, ticket=hall.ticket, level=5)
    return rating_submit(window=hall.a01, level=1, reasons=["attitude"], phone=PHONE)


def test_an_upheld_appeal_takes_the_rating_out_of_the_kpis_with_the_reason(
    client, hall, bad
):
    assert kpis(hall)["bad_rate"] == 0.5
    f.signed_in(client, hall.head)
    page = client.get(bad.get_absolute_url()).content.decode()
    assert reverse("ratings:appeal", args=[bad.public_id]) in page
    answer = client.post(
        reverse("ratings:appeal", args=[bad.public_id]),
        {"reason": "监控显示群众未到窗口办理", "photos": [photo()]},
    )
    assert answer.status_code == 302
    appeal = Appeal.objects.get(rating=bad)
    assert appeal.state == "pending" and appeal.photos.count() == 1
    assert Notification.objects.filter(
        kind="rating.appeal", person=hall.inspector
    ).exists()
    f.signed_in(client, hall.inspector)
    home = client.get("/").content.decode()
    assert "?show=appeal" in home
    client.post(
        reverse("ratings:appeal_decide", args=[bad.public_id]),
        {"decision": "upheld", "reason": "核实为恶意差评"},
    )
    appeal.refresh_from_db()
    assert appeal.state == "upheld" and appeal.decided_by == hall.inspector
    after = kpis(hall)
    assert after["ratings"] == 1 and after["bad_rate"] == 0
    bad.refresh_from_db()
    assert bad.excluded_at is not None and bad.excluded_reason == "核实为恶意差评"
    event = Event.objects.get(action="rating.appeal_uphold")
    assert event.after == {"state": "upheld", "reason": "核实为恶意差评"}
    exclusion = Event.objects.get(action="rating.exclude")
    assert exclusion.after["reason"] == "核实为恶意差评"
    assert Notification.objects.filter(
        kind="rating.appeal_decided", person=hall.head
    ).exists()


def test_a_rejected_appeal_leaves_the_rating_in_the_kpis(hall, bad):
    appeal = appeal_file(actor=hall.head, rating=bad, reason="不是我们窗口")
    appeal_decide(actor=hall.inspector, appeal=appeal, upheld=False, reason="查无实据")
    figures = kpis(hall)
    assert figures["ratings"] == 2 and figures["bad_rate"] == 0.5
    bad.refresh_from_db()
    assert bad.excluded_at is None and bad.followup.appeal == "rejected"
    rejection = Event.objects.get(action="rating.appeal_reject")
    assert rejection.after["reason"] == "查无实据"
    with pytest.raises(ValidationError, match="already decided"):
        appeal_decide(actor=hall.inspector, appeal=appeal, upheld=True, reason="x")


def test_a_rating_is_appealed_once(hall, bad):
    appeal_file(actor=hall.head, rating=bad, reason="不是我们窗口")
    with pytest.raises(ValidationError, match="appealed already"):
        appeal_file(actor=hall.head, rating=bad, reason="再申诉")


def test_a_late_appeal_is_refused_with_the_last_day(client, hall, bad, settings):
    settings.GEMBAHALL_RATING_APPEAL_DAYS = 2
    f.signed_in(client, hall.head)
    url = reverse("ratings:appeal", args=[bad.public_id])
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        f.signed_in(client, hall.head)
        answer = client.post(url, {"reason": "迟到的申诉"})
        page = client.get(bad.get_absolute_url()).content.decode()
    assert answer.status_code == 200
    assert "已超过申诉期限" in answer.content.decode()
    assert not Appeal.objects.exists()
    assert "该评价的申诉期已于" in page
    # Within the days it is accepted.
    assert client.post(url, {"reason": "及时的申诉"}).status_code == 302


def test_another_windows_head_gets_404_on_the_appeal_page(client, hall, bad):
    f.signed_in(client, hall.other_head)
    url = reverse("ratings:appeal", args=[bad.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not Appeal.objects.exists()


def test_revealing_the_number_is_audited_without_the_number(client, hall, bad):
    f.signed_in(client, hall.head)
    page = client.get(bad.get_absolute_url()).content.decode()
    assert PHONE not in page and "138****5678" in page
    shown = client.post(reverse("ratings:reveal", args=[bad.public_id]))
    assert shown.status_code == 200 and PHONE in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    event = Event.objects.get(action="rating.phone_reveal")
    assert event.actor_id == hall.head.pk and event.target_id == str(bad.public_id)
    assert PHONE not in str(event.after) + event.target_repr
    # The next visit shows the masked number again.
    assert PHONE not in client.get(bad.get_absolute_url()).content.decode()
    # The OSM office follows up for the center but does not call: masked only.
    f.signed_in(client, hall.inspector)
    assert PHONE not in client.get(bad.get_absolute_url()).content.decode()
    answer = client.post(reverse("ratings:reveal", args=[bad.public_id]))
    assert answer.status_code == 403
    assert Event.objects.filter(action="rating.phone_reveal").count() == 1


def close_fix(followup):
    problem = followup.problem
    problem.state, problem.closed_on = "closed", timezone.localdate()
    problem.save(update_fields=["state", "closed_on"])


def test_a_return_visit_counts_as_the_kpi_table_says(client, hall):
    one = rating_submit(window=hall.a01, level=1, reasons=["slow"])
    two = rating_submit(window=hall.a01, level=2, reasons=["slow"])
    three = rating_submit(window=hall.a01, level=2, reasons=["slow"])
    with pytest.raises(ValidationError, match="after the fix"):
        followup_visit(actor=hall.head, followup=one.followup, outcome="satisfied")
    for rating in (one, two, three):
        close_fix(rating.followup)
    assert kpis(hall)["visit_satisfied"] is None
    f.signed_in(client, hall.head)
    assert "?show=visit" in client.get("/").content.decode()
    client.post(
        reverse("ratings:visit", args=[one.public_id]),
        {"outcome": "satisfied", "note": "问题已解决"},
    )
    assert kpis(hall)["visit_satisfied"] == 1
    followup_visit(
        actor=hall.head, followup=two.followup, outcome="dissatisfied", note="仍不满意"
    )
    assert kpis(hall)["visit_satisfied"] == 0.5
    # Unreached citizens are not in the denominator.
    followup_visit(actor=hall.head, followup=three.followup, outcome="unreachable")
    assert kpis(hall)["visit_satisfied"] == 0.5
    visited = FollowUp.objects.get(rating=one)
    assert visited.visited_by == hall.head and visited.visit_note == "问题已解决"
    assert visited.called_back_at is None
    assert Event.objects.filter(action="rating.return_visit").count() == 3


def test_the_window_heads_home_offers_its_rating_card_as_a_pdf(client, hall):
    f.signed_in(client, hall.head)
    home = client.get("/").content.decode()
    url = reverse("ratings:card")
    assert url in home
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    # Another window's card is not theirs to print.
    assert client.get(f"{url}?window={hall.a02.public_id}").status_code == 404
