import pytest
from django.core.management import call_command

from gembahall.casework.models import ApiToken, Source, Ticket, TicketEvent
from gembahall.casework.tokens import token_create, token_revoke
from gembahall.reports.kpis import Scope, ticket_kpis
from tests import factories as f

URL = "/api/v1/service/ticket-events"


@pytest.fixture
def queue(db):
    c = f.center(code="q")
    window = f.unit(c, code="A01")
    source = Source.objects.create(center=c, kind="tickets", name="叫号系统")
    token, key = token_create(actor=None, source=source, name="叫号机")
    return c, window, source, token, key


def post(client, key, **event):
    return client.post(
        URL,
        event,
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"} if key else {},
    )


def test_events_out_of_order_and_repeated_give_one_right_ticket(client, queue):
    c, window, _source, _token, key = queue
    events = [
        {
            "event_id": "3",
            "kind": "finished",
            "at": "2026-03-05T09:40:00+08:00",
            "status": "served",
        },
        {
            "event_id": "2",
            "kind": "called",
            "at": "2026-03-05T09:10:00+08:00",
            "window": "A01",
        },
        {"event_id": "1", "kind": "taken", "at": "2026-03-05T09:00:00+08:00"},
        {"event_id": "2b", "kind": "started", "at": "2026-03-05T09:11:00+08:00"},
        {
            "event_id": "2",
            "kind": "called",
            "at": "2026-03-05T09:10:00+08:00",
            "window": "A01",
        },
    ]
    answers = [post(client, key, ticket_no="A1", **e).status_code for e in events]
    assert answers == [201, 201, 201, 201, 200]
    ticket = Ticket.objects.get()
    assert ticket.window == window and ticket.status == "served"
    assert TicketEvent.objects.count() == 4
    day = ticket.day
    kpis = ticket_kpis(Scope(c.pk), day, day)
    assert kpis["tickets"] == 1 and kpis["wait_avg_min"] == 10
    assert kpis["handle_avg_min"] == 29


def test_no_key_a_wrong_key_and_a_revoked_key_are_refused(client, queue):
    _c, _w, _s, token, key = queue
    event = {
        "event_id": "1",
        "ticket_no": "A1",
        "kind": "taken",
        "at": "2026-03-05T09:00:00+08:00",
    }
    assert post(client, None, **event).status_code == 401
    assert post(client, key + "x", **event).status_code == 401
    token_revoke(actor=None, token=token)
    assert post(client, key, **event).status_code == 401
    assert not Ticket.objects.exists()


def test_keys_are_stored_hashed(queue):
    *_rest, token, key = queue
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in (stored.digest, stored.prefix) and len(stored.digest) == 64


def test_a_bad_event_is_refused_with_the_field(client, queue):
    key = queue[-1]
    answer = post(
        client,
        key,
        event_id="1",
        ticket_no="A1",
        kind="taken",
        at="2026-03-05T09:00:00+08:00",
        window="Z9",
    )
    assert answer.status_code == 422 and "Z9" in answer.json()["detail"]
    assert (
        post(
            client,
            key,
            event_id="1",
            ticket_no="A1",
            kind="eaten",
            at="2026-03-05T09:00:00+08:00",
        ).status_code
        == 422
    )


def test_the_command_prints_a_working_key(client, queue, capsys):
    call_command("api_token", center="q", source="二号叫号机")
    key = capsys.readouterr().out.strip()
    answer = post(
        client,
        key,
        event_id="1",
        ticket_no="B1",
        kind="taken",
        at="2026-03-05T09:00:00+08:00",
    )
    assert answer.status_code == 201


RATINGS = "/api/v1/service/ratings"


def test_a_pad_pushes_a_rating_once_by_its_external_id(client, queue):
    from gembahall.ratings.models import Rating

    key = queue[-1]
    body = {
        "external_id": "ZJ-2026-000001",
        "window": "A01",
        "level": 1,
        "reasons": ["slow"],
        "comment": "等太久",
    }
    first = client.post(
        RATINGS,
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )
    assert first.status_code == 201 and first.json()["followup"] is True
    again = client.post(
        RATINGS,
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )
    assert again.status_code == 200 and again.json()["recorded"] is False
    rating = Rating.objects.get()
    assert rating.channel == "pad" and rating.external_id == "ZJ-2026-000001"
    assert rating.followup.problem is not None
    bad = client.post(
        RATINGS,
        {**body, "external_id": "2", "reasons": []},
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )
    assert bad.status_code == 422 and "reasons" in bad.json()["errors"]
    assert (
        client.post(RATINGS, body, content_type="application/json").status_code == 401
    )


def test_an_sms_rating_of_a_case_counts_once_per_case(client, queue):
    from django.utils import timezone

    from gembahall.casework.models import Case
    from gembahall.ratings.models import Rating

    c, window, _source, _token, key = queue
    now = timezone.now()
    case = Case.objects.create(
        center=c,
        window=window,
        case_no="SP0001",
        item_name="企业设立登记",
        accepted_at=now,
        accepted_on=now.date(),
        deadline=now.date(),
        source=Source.objects.create(center=c, kind="cases", name="审批系统"),
    )
    auth = {"authorization": f"Bearer {key}"}
    body = {"external_id": "S1", "window": "A01", "level": 5, "channel": "sms"}
    first = client.post(
        RATINGS,
        {**body, "case_no": "SP0001"},
        content_type="application/json",
        headers=auth,
    )
    assert first.status_code == 201
    assert Rating.objects.get().case == case
    second = client.post(
        RATINGS,
        {**body, "external_id": "S2", "case_no": "SP0001"},
        content_type="application/json",
        headers=auth,
    )
    assert second.status_code == 422
    unknown = client.post(
        RATINGS,
        {**body, "external_id": "S3", "case_no": "SP9999"},
        content_type="application/json",
        headers=auth,
    )
    assert unknown.status_code == 422 and "case_no" in unknown.json()["errors"]
    assert Rating.objects.count() == 1


def test_the_event_answer_carries_the_tickets_rating_link(client, queue):
    key = queue[-1]
    answer = post(
        client,
        key,
        event_id="1",
        ticket_no="A1",
        kind="taken",
        at="2026-03-05T09:00:00+08:00",
    ).json()
    ticket = Ticket.objects.get()
    assert answer["rating_token"] == ticket.rating_token
    assert len(answer["rating_token"]) == 16
    assert answer["rating_url"] == (
        f"http://testserver/rate/t/q/A1/{ticket.rating_token}/"
    )
    # The same token for every event of the ticket, never another ticket's.
    again = post(
        client,
        key,
        event_id="2",
        ticket_no="A1",
        kind="called",
        at="2026-03-05T09:05:00+08:00",
    ).json()
    other = post(
        client,
        key,
        event_id="3",
        ticket_no="A2",
        kind="taken",
        at="2026-03-05T09:06:00+08:00",
    ).json()
    assert again["rating_token"] == answer["rating_token"]
    assert other["rating_token"] != answer["rating_token"]


def test_a_rating_push_for_an_unknown_ticket_is_refused(client, queue):
    from gembahall.ratings.models import Rating

    key = queue[-1]
    body = {"external_id": "P1", "window": "A01", "level": 5, "ticket_no": "Z999"}
    answer = client.post(
        RATINGS,
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )
    assert answer.status_code == 422 and "ticket_no" in answer.json()["errors"]
    assert not Rating.objects.exists()
