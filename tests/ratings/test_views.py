import gzip

import pytest
from django.urls import reverse

from gembahall.ratings.models import Rating
from tests import factories as f


def rate_url(hall):
    return reverse("rate:rate_window", args=[hall.a01.public_id])


def ticket_url(hall, token=None):
    token = hall.ticket.rating_token if token is None else token
    return reverse("rate:rate_ticket", args=["hall", "A001", token])


def test_a_citizen_rates_a_window_without_signing_in(client, hall):
    page = client.get(rate_url(hall))
    assert page.status_code == 200
    assert hall.a01.name in page.content.decode()
    answer = client.post(rate_url(hall), {"level": "5", "comment": "很好"})
    assert answer.status_code == 200 and "感谢您的评价" in answer.content.decode()
    rating = Rating.objects.get()
    assert rating.channel == "window_qr" and rating.ip == "127.0.0.1"


def test_the_page_is_small_and_compressed(client, hall):
    page = client.get(rate_url(hall), headers={"accept-encoding": "gzip"})
    assert page["Content-Encoding"] == "gzip"
    # No script and no image; one small stylesheet of the app's own, cached by
    # the phone after the first rating (the policy allows no inline style).
    html = gzip.decompress(page.content).decode()
    assert "<script" not in html and "<img" not in html
    assert html.count("<link") == 1 and "gembahall/rate" in html
    assert len(page.content) < 100 * 1024


def test_a_low_rating_without_a_reason_is_refused_with_the_field(client, hall):
    answer = client.post(rate_url(hall), {"level": "1"})
    assert answer.status_code == 422
    assert "请至少选择一个原因" in answer.content.decode()
    assert not Rating.objects.exists()


def test_what_is_missing_shows_first_and_the_answer_opens_there(client, hall):
    page = client.get(rate_url(hall)).content.decode()
    # The browser opens the answer at #errors: no script needed.
    assert 'action="#errors"' in page and 'id="errors"' not in page
    html = client.post(rate_url(hall), {"level": "1"}).content.decode()
    errors = html.index('id="errors"')
    assert errors < html.index('class="levels"')
    assert html.index("请至少选择一个原因", errors) < html.index('class="levels"')
    # The reasons follow the level at once, before the optional sub-scores.
    assert html.index('id="f-reasons"') < html.index('id="f-efficiency"')


def test_a_ticket_is_rated_once(client, hall):
    url = ticket_url(hall)
    assert client.post(url, {"level": "4"}).status_code == 200
    again = client.post(url, {"level": "1", "reasons": ["slow"]})
    assert again.status_code == 409
    assert "已经评价过了" in again.content.decode()
    assert Rating.objects.get().channel == "ticket_qr"
    token = hall.ticket.rating_token
    unknown = reverse("rate:rate_ticket", args=["hall", "B999", token])
    assert client.get(unknown).status_code == 404


def test_the_ticket_number_alone_rates_nothing(client, hall):
    """A stranger who guesses a ticket's number, without the token printed in
    its QR code, gets the answer of an unknown ticket and rates nothing."""
    token = hall.ticket.rating_token
    assert len(token) == 16
    for guess in ("", "x", token[:-1] + ("A" if token[-1] != "A" else "B")):
        url = f"/rate/t/hall/A001/{guess}/" if guess else "/rate/t/hall/A001/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"level": "5"}).status_code == 404
    assert not Rating.objects.exists()
    assert client.post(ticket_url(hall), {"level": "5"}).status_code == 200
    assert Rating.objects.get().ticket == hall.ticket


def test_a_window_link_states_its_rule(client, hall):
    page = client.get(rate_url(hall)).content.decode()
    assert "通过窗口二维码评价是匿名的" in page and "与按取号票的评价分开" in page
    assert "匿名" not in client.get(ticket_url(hall)).content.decode()


def test_a_comment_is_shown_escaped_and_the_phone_masked(client, hall):
    client.post(
        rate_url(hall),
        {
            "level": "2",
            "reasons": ["slow"],
            "comment": "<script>alert(1)</script>",
            "phone": "13812345678",
        },
    )
    rating = Rating.objects.get()
    f.signed_in(client, hall.head)
    page = client.get(rating.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "138****5678" in page and "13812345678" not in page


def test_staff_see_sub_scores_the_citizen_did_not_give_as_not_given(client, hall):
    client.post(rate_url(hall), {"level": "1", "attitude": "1", "reasons": ["slow"]})
    f.signed_in(client, hall.head)
    page = client.get(Rating.objects.get().get_absolute_url()).content.decode()
    assert page.count("未评价") == 2
    assert "1★" in page and page.count("★") == 1


def test_another_windows_head_gets_404_and_the_head_calls_back(client, hall):
    client.post(rate_url(hall), {"level": "1", "reasons": ["attitude"]})
    rating = Rating.objects.get()
    f.signed_in(client, hall.other_head)
    assert client.get(rating.get_absolute_url()).status_code == 404
    f.signed_in(client, hall.head)
    page = client.get(rating.get_absolute_url()).content.decode()
    assert str(rating.followup.callback_due) in page
    client.post(
        reverse("ratings:callback", args=[rating.public_id]),
        {"note": "已致电解释并道歉"},
    )
    rating.followup.refresh_from_db()
    assert rating.followup.called_back_by == hall.head
    assert rating.followup.callback_on_time is True


def test_window_cards_print_as_pdf(client, hall):
    f.signed_in(client, hall.inspector)
    answer = client.get(reverse("ratings:cards"))
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    f.signed_in(client, hall.head)
    assert client.get(reverse("ratings:cards")).status_code == 403


def test_the_rating_list_reads_a_fixed_number_of_queries(client, hall):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gembahall.ratings.services import rating_submit

    rating_submit(window=hall.a01, level=1, reasons=["slow"])
    f.signed_in(client, hall.inspector)
    client.get(reverse("ratings:list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("ratings:list"))
    for level in (1, 2, 4, 5, 3, 1):
        rating_submit(window=hall.a01, ticket=None, level=level, reasons=["slow"])
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("ratings:list"))
    assert len(page.context["page"]) == 7
    assert len(many) == len(one)


def test_rating_a_ticket_reads_a_fixed_number_of_queries(client, hall):
    """Finding the ticket, both flood caps in one query, the rating and its
    rollup: a citizen's post costs the same however busy the hall is."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = ticket_url(hall)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, {"level": "5"}).status_code == 200
    statements = [
        q["sql"] for q in queries if not q["sql"].startswith(("BEGIN", "SAVEPOINT"))
    ]
    statements = [s for s in statements if "RELEASE SAVEPOINT" not in s]
    assert len(statements) == 4, statements
    assert Rating.objects.get().ticket == hall.ticket


def test_a_ticket_is_found_by_its_number_through_the_index(hall):
    """The rating page looks the ticket up by center and number: an index
    search, not a scan of the week's tickets."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan wording")
    from gembahall.ratings.public import rated_ticket

    sql, params = rated_ticket("hall", "A001").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "ticket_no=?" in plan, plan
