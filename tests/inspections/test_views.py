"""Inspection pages: answers saved as given, evidence uploads, finalizing,
rankings, the bulletin and the export."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gembahall.core.models import Photo
from gembahall.inspections import services
from gembahall.inspections.models import Inspection
from tests import factories as f
from tests.core.test_photos import GPS_IFD, image_bytes, upload
from tests.org.test_views import queries

HTMX = {"HTTP_HX_REQUEST": "true"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def mid_month():
    """Today's inspections are in the month the ranking opens on, whatever day
    the suite runs."""
    today = timezone.localdate()
    with time_machine.travel(
        datetime(today.year, today.month, 15, 10, tzinfo=SHANGHAI)
    ):
        yield


@pytest.fixture
def hall(db):
    c = f.center("示范中心")
    dept = f.department(c, "市场监管局")
    w1 = f.unit(c, name="市场监管窗口", code="A01", dept=dept)
    w2 = f.unit(c, name="税务窗口", code="A02")
    inspector = f.person(c, username="insp")
    f.grant(inspector, "inspector")
    director = f.person(c, username="dir")
    f.grant(director, "director")
    head1 = f.person(c, w1, username="head1")
    f.grant(head1, "window_head", unit=w1)
    head2 = f.person(c, w2, username="head2")
    f.grant(head2, "window_head", unit=w2)
    checklist = f.checklist(c, n=4, photo_required=True)
    return {
        "center": c,
        "w1": w1,
        "w2": w2,
        "inspector": inspector,
        "director": director,
        "head1": head1,
        "head2": head2,
        "checklist": checklist,
    }


def start(hall, unit=None, on=None):
    return services.inspection_start(
        actor=hall["inspector"],
        unit=unit or hall["w1"],
        checklist=hall["checklist"],
        on=on,
    )


def finalized(hall, unit, deduct=0, on=None):
    inspection = start(hall, unit, on)
    for i, result in enumerate(inspection.results.order_by("item__position")):
        if i < deduct:
            services.item_answer(
                actor=hall["inspector"], result=result, outcome="deduct", occurrences=1
            )
            services.item_photo_add(
                actor=hall["inspector"], result=result, upload=upload(image_bytes())
            )
        else:
            services.item_answer(actor=hall["inspector"], result=result, outcome="pass")
    return services.inspection_finalize(actor=hall["inspector"], inspection=inspection)


def answer_url(inspection, result):
    return reverse("inspections:answer", args=[inspection.public_id, result.public_id])


def photo_url(inspection, result):
    return reverse(
        "inspections:photo_add", args=[inspection.public_id, result.public_id]
    )


def test_an_answer_saves_at_once_and_returns_the_card_and_running_score(client, hall):
    inspection = start(hall)
    result = inspection.results.order_by("item__position").first()
    f.signed_in(client, hall["inspector"])
    response = client.post(
        answer_url(inspection, result),
        {"outcome": "deduct", "occurrences": "2"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="item-{result.public_id}"' in html
    assert re.search(r'id="running-score" [^>]*hx-swap-oob="true"', html)
    assert "87.50" in html  # 4 items × 4 points, 2 lost
    result.refresh_from_db()
    assert (result.outcome, result.occurrences) == ("deduct", 2)


def test_a_bad_answer_is_explained_on_the_card_and_changes_nothing(client, hall):
    inspection = start(hall)
    result = inspection.results.first()
    f.signed_in(client, hall["inspector"])
    response = client.post(
        answer_url(inspection, result),
        {"outcome": "deduct", "occurrences": "0"},
        **HTMX,
    )
    assert "扣分至少记1处" in response.content.decode()
    result.refresh_from_db()
    assert result.outcome == "pending"


def test_window_head_cannot_answer_an_official_inspection(client, hall):
    inspection = start(hall)
    f.signed_in(client, hall["head1"])
    response = client.post(
        answer_url(inspection, inspection.results.first()), {"outcome": "pass"}, **HTMX
    )
    assert response.status_code == 403


def test_evidence_photo_is_stored_without_gps_and_shown_on_the_card(client, hall):
    inspection = start(hall)
    result = inspection.results.first()
    f.signed_in(client, hall["inspector"])
    response = client.post(
        photo_url(inspection, result),
        {"photo": upload(image_bytes(gps=True))},
        **HTMX,
    )
    photo = result.photos.get()
    assert f"/photos/{photo.public_id}/thumb/" in response.content.decode()
    with photo.image.open("rb") as handle:
        assert GPS_IFD not in Image.open(handle).getexif()
    assert photo.unit == hall["w1"]


def test_heic_evidence_is_accepted(client, hall):
    inspection = start(hall)
    f.signed_in(client, hall["inspector"])
    client.post(
        photo_url(inspection, inspection.results.first()),
        {"photo": upload(image_bytes(fmt="HEIF"), "IMG_0001.HEIC", "image/heic")},
        **HTMX,
    )
    assert Photo.objects.count() == 1


@pytest.mark.parametrize(
    "data,name,message",
    [
        (
            b"<html><body>not a photo</body></html>",
            "photo.jpg",
            "该文件不是可读取的照片",
        ),
        (b"\xff\xd8" + b"0" * (10 * 1024 * 1024), "big.jpg", "照片超过 10 MB"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(client, hall, data, name, message):
    inspection = start(hall)
    result = inspection.results.first()
    f.signed_in(client, hall["inspector"])
    response = client.post(
        photo_url(inspection, result), {"photo": upload(data, name)}, **HTMX
    )
    assert message in response.content.decode()
    assert Photo.objects.count() == 0
    assert not result.photos.exists()


def test_another_windows_head_gets_404_for_evidence_photos(client, hall):
    final = finalized(hall, hall["w1"], deduct=1)
    photo = final.results.get(outcome="deduct").photos.get()
    f.signed_in(client, hall["head2"])
    assert client.get(reverse("core:photo", args=[photo.public_id])).status_code == 404
    assert client.get(final.get_absolute_url()).status_code == 404
    f.signed_in(client, hall["head1"])
    assert client.get(reverse("core:photo", args=[photo.public_id])).status_code == 200


def test_finalize_page_explains_the_round_order(client, hall):
    f.unit(hall["center"], kind="leadership", name="中心领导")
    plan = f.plan(hall["center"])
    rnd = services.round_start(
        actor=hall["inspector"], plan=plan, title="一轮", starts_on=timezone.localdate()
    )
    window = rnd.inspections.get(unit=hall["w1"])
    f.signed_in(client, hall["inspector"])
    page = client.get(window.get_absolute_url()).content.decode()
    assert "先领导后员工、先科室后窗口" in page
    response = client.post(
        reverse("inspections:finalize", args=[window.public_id]), follow=True
    )
    assert "先领导后员工、先科室后窗口" in response.content.decode()
    assert not Inspection.objects.get(pk=window.pk).is_final


def grow(hall, n):
    """n more windows, each with a finalized inspection with one deduction."""
    for _ in range(n):
        finalized(hall, f.unit(hall["center"]), deduct=1)


@pytest.mark.parametrize(
    "url_name", ["inspections:ranking", "inspections:index", "inspections:plans"]
)
def test_result_pages_use_the_same_number_of_queries_for_n_and_5n_rows(
    client, hall, url_name
):
    f.signed_in(client, hall["director"])
    grow(hall, 2)
    url = reverse(url_name)
    small = queries(client, url)
    grow(hall, 8)
    assert queries(client, url) == small


def test_unit_results_query_count_does_not_grow(client, hall):
    f.signed_in(client, hall["director"])
    url = reverse("inspections:unit_results", args=[hall["w1"].public_id])
    finalized(hall, hall["w1"], deduct=1)
    small = queries(client, url)
    for _ in range(4):
        finalized(hall, hall["w1"], deduct=2)
    assert queries(client, url) == small


def test_finalizing_reads_the_same_number_of_queries_whatever_the_deductions(
    client, hall
):
    """More deductions mean more problems and photos, written in bulk: the
    finalize request never reads or writes row by row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def finalize_counting(unit, deduct):
        inspection = start(hall, unit)
        for i, result in enumerate(inspection.results.order_by("item__position")):
            outcome = "deduct" if i < deduct else "pass"
            services.item_answer(
                actor=hall["inspector"],
                result=result,
                outcome=outcome,
                occurrences=1 if i < deduct else 0,
            )
            if i < deduct:
                services.item_photo_add(
                    actor=hall["inspector"],
                    result=result,
                    upload=upload(image_bytes()),
                )
        url = reverse("inspections:finalize", args=[inspection.public_id])
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(url).status_code == 302
        inspection.refresh_from_db()
        assert inspection.state == "final"
        assert inspection.unit.problems.count() == deduct
        return len(ctx.captured_queries)

    w3 = f.unit(hall["center"], code="A03")
    f.grant(f.person(hall["center"], w3), "window_head", unit=w3)
    f.signed_in(client, hall["inspector"])
    finalize_counting(hall["w1"], 1)  # loads the working-day calendar once
    assert finalize_counting(hall["w2"], 1) == finalize_counting(w3, 4)


def test_start_pages_and_the_witness_button_read_right_in_each_language(client, hall):
    liaison = f.person(hall["center"], hall["w1"], username="liaison-zh")
    f.grant(liaison, "liaison", unit=hall["w1"])
    f.signed_in(client, liaison)
    url = reverse("inspections:start", args=["cross"])
    page = client.get(url).content.decode()
    assert "<h1" in page and ">互查</h1>" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "Cross-inspection" in title and heading == "Cross-inspection"
    assert not CHINESE.search(title + heading)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    # The witness is named (指定) with a button, not given a "name" (名称).
    f.person(hall["center"], hall["w1"], username="witness-zh")
    inspection = start(hall)
    f.signed_in(client, hall["inspector"])
    page = client.get(inspection.get_absolute_url()).content.decode()
    form = page[
        page.index(reverse("inspections:witness_set", args=[inspection.public_id])) :
    ]
    button = re.search(r"<button[^>]*>([^<]*)</button>", form).group(1).strip()
    assert button == "指定"
    # A round's title is a heading (标题), not a job title (职务).
    page = client.get(
        reverse("inspections:plan", args=[f.plan(hall["center"]).public_id])
    )
    assert re.search(r'for="id_title"[^>]*>标题<', page.content.decode())


def test_each_chapter_heads_the_inspection_page_once(client, hall):
    """An item added to the end of a checklist still shows under its chapter."""
    from gembahall.inspections.models import ChecklistItem

    ChecklistItem.objects.create(
        center=hall["center"],
        checklist=hall["checklist"],
        position=9,
        chapter="05.3",
        criterion="微笑服务",
        max_points=2,
        deduction=1,
        cap=2,
    )
    inspection = start(hall)
    f.signed_in(client, hall["inspector"])
    page = client.get(inspection.get_absolute_url()).content.decode()
    headings = re.findall(r'<h2 class="h6 mt-3 sticky-section">([^<]*)</h2>', page)
    assert headings == ["5.3 服务用语", "6 空间管理"]
    assert page.index("微笑服务") < page.index("检查项1")


def test_a_waiting_window_inspection_says_so_first_and_finalizing_asks_first(
    client, hall
):
    leaders = f.unit(hall["center"], kind="leadership", name="中心领导")
    office = f.unit(hall["center"], kind="office", name="督查科")
    rnd = services.round_start(
        actor=hall["inspector"],
        plan=f.plan(hall["center"]),
        title="一轮",
        starts_on=timezone.localdate(),
    )
    window = rnd.inspections.get(unit=hall["w1"])
    f.signed_in(client, hall["inspector"])
    page = client.get(window.get_absolute_url()).content.decode()
    # Before the first item: what is still open, each a link to open it.
    waiting = page[
        page.index('data-testid="waiting"') : page.index('data-testid="item"')
    ]
    for unit in (leaders, office):
        open_one = rnd.inspections.get(unit=unit)
        assert (
            f'href="{open_one.get_absolute_url()}"' in waiting and unit.name in waiting
        )
    assert "先领导后员工、先科室后窗口" in waiting
    finalize = re.search(r'<button[^>]*data-testid="finalize"[^>]*>', page).group(0)
    assert "disabled" in finalize
    # Once they are final, the page finalizes, after asking.
    for unit in (leaders, office):
        done = rnd.inspections.get(unit=unit)
        services.items_pass_remaining(actor=hall["inspector"], inspection=done)
        services.inspection_finalize(actor=hall["inspector"], inspection=done)
    page = client.get(window.get_absolute_url()).content.decode()
    assert 'data-testid="waiting"' not in page
    finalize = re.search(r'<button[^>]*data-testid="finalize"[^>]*>', page).group(0)
    assert "disabled" not in finalize and 'data-bs-toggle="modal"' in finalize
    dialog = page[page.index('data-testid="finalize-dialog"') :]
    assert "不能撤销" in dialog and 'data-testid="finalize-confirm"' in dialog


def test_a_seasonal_item_points_at_the_standard_in_force_on_the_day(client, hall):
    """按季节统一着装 links the summer dress code; in December the page, the
    problem raised and the improvement cycle suggested name the winter one."""

    from gembahall.rectification.models import Problem
    from gembahall.standards import services as standards

    def seasonal(code, title, start, end):
        standard = standards.standard_create(
            actor=hall["inspector"],
            center=hall["center"],
            code=code,
            body=title,
            title=title,
            domain="service",
            chapter="05.1",
            season_from=start,
            season_to=end,
        )
        standards.version_publish(
            actor=hall["director"], version=standard.versions.get()
        )
        return standard

    summer = seasonal("S-5.1-01", "夏季着装标准", "05-01", "09-30")
    winter = seasonal("S-5.1-02", "冬季着装标准", "10-01", "04-30")
    item = hall["checklist"].items.order_by("position").first()
    item.chapter, item.standard = "05.1", summer
    item.save()
    f.signed_in(client, hall["inspector"])
    for day, in_force, other in (
        (date(2026, 7, 2), summer, winter),
        (date(2026, 12, 3), winter, summer),
    ):
        inspection = finalized(hall, hall["w1"], deduct=1, on=day)
        page = client.get(inspection.get_absolute_url()).content.decode()
        assert in_force.title in page and other.title not in page
        problem = Problem.objects.get(item_result__inspection=inspection)
        assert problem.standard == in_force
    # The cycle suggested for the item starts from its latest problem's standard.
    url = reverse("rectification:improvement_create") + f"?item={item.key}"
    page = client.get(url).content.decode()
    assert re.search(rf'<option value="{winter.pk}" selected>', page)
