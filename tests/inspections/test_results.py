"""Results of official inspections: the ranking with its red and black
lists, the monthly bulletin and the Excel export."""

import io
import re
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gembahall.inspections import services
from gembahall.inspections.models import Inspection
from tests import factories as f
from tests.inspections.test_views import SHANGHAI, finalized


@pytest.mark.usefixtures("mid_month")
def test_ranking_lists_windows_best_first_and_offices_apart(client, hall):
    finalized(hall, hall["w1"], deduct=0)
    finalized(hall, hall["w2"], deduct=2)
    office = f.unit(hall["center"], kind="office", name="督查科")
    finalized(hall, office, deduct=1)
    f.signed_in(client, hall["director"])
    page = client.get(reverse("inspections:ranking")).content.decode()
    table = page[page.index('data-testid="ranking-table"') :]
    assert table.index("市场监管窗口") < table.index("税务窗口")
    assert "督查科" not in table[: table.index("</table>")]
    assert "督查科" in page[page.index('data-testid="offices-table"') :]


def test_self_inspections_stay_out_of_the_ranking(client, hall):
    liaison = f.person(hall["center"], hall["w2"], username="liaison2")
    f.grant(liaison, "liaison", unit=hall["w2"])
    own = services.inspection_start(
        actor=liaison, unit=hall["w2"], checklist=hall["checklist"], kind="self"
    )
    services.items_pass_remaining(actor=liaison, inspection=own)
    services.inspection_finalize(actor=liaison, inspection=own)
    f.signed_in(client, hall["director"])
    page = client.get(reverse("inspections:ranking")).content.decode()
    assert "税务窗口" not in page


@pytest.mark.pdftotext
@pytest.mark.usefixtures("mid_month")
def test_bulletin_pdf_holds_center_ranking_and_photos(client, hall, tmp_path):
    finalized(hall, hall["w1"], deduct=2)
    finalized(hall, hall["w2"], deduct=0)
    f.signed_in(client, hall["director"])
    response = client.get(reverse("inspections:bulletin"))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "示范中心",
        "检查通报",
        "窗口排名",
        "A01 市场监管窗口",
        "A02 税务窗口",
        "典型问题",
        "名次相同的窗口并列",
    ):
        assert expected in text
    images = (
        subprocess.run(
            ["pdfimages", "-list", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    assert len(images) > 2  # a header, a rule, then at least one photo


def test_export_holds_every_item_result_of_the_period(client, hall):
    finalized(hall, hall["w1"], deduct=1)
    f.signed_in(client, hall["director"])
    today = timezone.localdate().isoformat()
    response = client.get(reverse("inspections:export"), {"start": today, "end": today})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert rows[1][1] == "A01 市场监管窗口"
    assert rows[1][6] == "扣分"


def test_export_rejects_a_backwards_period(client, hall):
    f.signed_in(client, hall["director"])
    response = client.get(
        reverse("inspections:export"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert "结束日期早于开始日期" in response.content.decode()


@pytest.mark.usefixtures("mid_month")
def test_ranking_shows_a_newly_finalized_inspection_at_once(client, hall):
    finalized(hall, hall["w1"], deduct=0)
    f.signed_in(client, hall["director"])
    page = client.get(reverse("inspections:ranking")).content.decode()
    assert "市场监管窗口" in page and "税务窗口" not in page
    finalized(hall, hall["w2"], deduct=1)
    assert "税务窗口" in client.get(reverse("inspections:ranking")).content.decode()


def test_equal_scores_share_a_place(hall):
    from gembahall.inspections import queries

    finalized(hall, hall["w1"], deduct=0)
    finalized(hall, hall["w2"], deduct=0)
    third = f.unit(hall["center"])
    finalized(hall, third, deduct=1)
    today = timezone.localdate()
    ranking = queries.ranking(hall["center"], start=today, end=today)
    assert [r["place"] for r in ranking["windows"]] == [1, 1, 3]


def red_and_black(page) -> tuple[str, str]:
    red = page[page.index('data-testid="red-list"') :]
    black = red[red.index('data-testid="black-list"') :]
    return red[: red.index("</ul>")], black[: black.index("</ul>")]


@pytest.mark.usefixtures("mid_month")
def test_tied_windows_share_a_place_and_all_go_on_the_red_list(client, hall):
    full = [hall["w1"], hall["w2"]] + [f.unit(hall["center"]) for _ in range(5)]
    lower = [f.unit(hall["center"]) for _ in range(6)]
    for unit in full + lower:
        for _ in range(2):
            finalized(hall, unit, deduct=0 if unit in full else 1)
    f.signed_in(client, hall["director"])
    page = client.get(reverse("inspections:ranking")).content.decode()
    red, black = red_and_black(page)
    # Seven windows scored full marks: all share first place and all are listed,
    # not the first five by code.
    assert all(unit.name in red for unit in full)
    assert red.count("第1名") == 7
    assert not any(unit.name in red for unit in lower)
    # The six below tie too: all six are on the black list, none on both.
    assert all(unit.name in black for unit in lower)
    assert "名次相同的窗口并列，全部上榜" in page


@pytest.mark.usefixtures("mid_month")
def test_a_window_with_too_few_inspections_stays_off_the_lists(client, hall):
    finalized(hall, hall["w1"], deduct=0)
    for _ in range(2):
        finalized(hall, hall["w2"], deduct=1)
    f.signed_in(client, hall["director"])
    page = client.get(reverse("inspections:ranking")).content.decode()
    red, _black = red_and_black(page)
    assert "税务窗口" in red and "市场监管窗口" not in red
    table = page[page.index('data-testid="ranking-table"') :]
    assert "市场监管窗口" in table and 'data-testid="not-listed"' in table


def test_on_the_first_the_ranking_and_bulletin_open_on_last_month(client, hall):
    for unit in (hall["w1"], hall["w2"]):
        for day in (3, 10):
            finalized(hall, unit, on=date(2026, 11, day))
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)):
        finalized(hall, hall["w1"], deduct=2)
        f.signed_in(client, hall["director"])
        response = client.get(reverse("inspections:ranking"))
        bulletin = client.get(reverse("inspections:bulletin"))
    assert response.context["month"] == "2026-11"
    page = response.content.decode()
    red, _black = red_and_black(page)
    assert "市场监管窗口" in red and "税务窗口" in red
    assert "本月数据满7天前，默认显示上一个完整月份" in page
    assert "bulletin-2026-11.pdf" in bulletin["Content-Disposition"]
    with time_machine.travel(datetime(2026, 12, 8, 9, tzinfo=SHANGHAI)):
        f.signed_in(client, hall["director"])
        later = client.get(reverse("inspections:ranking"))
    assert later.context["month"] == "2026-12"


def test_round_ranking_counts_only_that_rounds_inspections(client, hall):
    plan = f.plan(hall["center"], kinds=["window"])
    rnd = services.round_start(
        actor=hall["inspector"], plan=plan, title="一轮", starts_on=timezone.localdate()
    )
    in_round = rnd.inspections.get(unit=hall["w1"])
    services.items_pass_remaining(actor=hall["inspector"], inspection=in_round)
    services.inspection_finalize(actor=hall["inspector"], inspection=in_round)
    finalized(hall, hall["w2"], deduct=0)
    f.signed_in(client, hall["director"])
    page = client.get(reverse("inspections:ranking"), {"round": rnd.public_id})
    table = page.content.decode()
    table = table[table.index('data-testid="ranking-table"') :]
    assert "市场监管窗口" in table and "税务窗口" not in table


@pytest.mark.usefixtures("mid_month")
def test_windows_share_a_place_exactly_when_they_show_the_same_score(client, hall):
    # 98.35 and 98.34 average 98.345: shown as 98.35, above a window at 98.34.
    halfway, below = hall["w1"], hall["w2"]
    for unit, scores in ((halfway, ("98.35", "98.34")), (below, ("98.34", "98.34"))):
        for score in scores:
            inspection = finalized(hall, unit, deduct=0)
            Inspection.objects.filter(pk=inspection.pk).update(score=Decimal(score))
    f.signed_in(client, hall["director"])
    page = client.get(reverse("inspections:ranking")).content.decode()
    table = page[page.index('data-testid="ranking-table"') :]
    rows = re.findall(
        r"<tr><td>(\d+)</td>.*?<td class=\"text-end\">([\d.]+)</td>", table
    )
    places = {}
    for place, shown in rows:
        places.setdefault(shown, set()).add(place)
    assert set(places) == {"98.35", "98.34"}
    assert places == {"98.35": {"1"}, "98.34": {"2"}}
