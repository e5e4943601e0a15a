"""Flows of the inspection section: an inspector works through a 30-item window
inspection on a phone; staff read and acknowledge a standard."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gembahall.demo import DEMO_PASSWORD
from gembahall.inspections import services
from gembahall.inspections.models import Checklist, Inspection, Round
from gembahall.org.models import Person, Unit
from gembahall.rectification.models import Problem
from gembahall.standards.models import Standard
from tests.browser.conftest import ARTIFACTS, shot, sign_in, wait_until
from tests.core.test_photos import image_bytes

pytestmark = pytest.mark.browser


def last_week_deduction(center, unit, checklist, inspector):
    """A final official inspection days ago that deducted item 10 (the desk
    standard), whose problem is still open, and nothing else."""
    earlier = services.inspection_start(
        actor=inspector,
        unit=unit,
        checklist=checklist,
        on=timezone.localdate() - timedelta(days=3),
    )
    first = earlier.results.get(item__position=10)
    services.item_answer(actor=inspector, result=first, outcome="deduct", occurrences=1)
    services.item_photo_add(
        actor=inspector,
        result=first,
        upload=SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"),
    )
    services.items_pass_remaining(actor=inspector, inspection=earlier)
    services.inspection_finalize(actor=inspector, inspection=earlier)


def card(page, position):
    return page.get_by_test_id("item").nth(position - 1)


# Bootstrap has finished fading the finalize dialog in.
DIALOG_SHOWN = (
    "() => (d => d.classList.contains('show') && getComputedStyle(d).opacity === '1')"
    "(document.getElementById('finalize-dialog'))"
)

# htmx is done once no element is waiting, swapping or settling.
HTMX_IDLE = (
    "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
)


def answer(page, position, outcome, occurrences=None):
    with page.expect_response(lambda r: "/items/" in r.url):
        card(page, position).locator(f"label[for^={outcome}-]").click()
    # The card and the running score are swapped in before the next tap, as a
    # person sees the page settle before answering the next item.
    wait_until(page, HTMX_IDLE)
    # Choosing "deduct" counts one occurrence; more are typed in.
    if occurrences not in (None, 1):
        box = card(page, position).locator("input[name=occurrences]")
        box.fill(str(occurrences))
        with page.expect_response(lambda r: "/items/" in r.url):
            box.press("Tab")
        wait_until(page, HTMX_IDLE)


def test_inspector_completes_a_30_item_window_inspection_on_a_phone(
    demo, page_at, tmp_path
):
    window = Unit.objects.get(center=demo, code="A01")
    checklist = Checklist.objects.get(center=demo, code="WIN")
    inspector = Person.objects.get(user__username="inspector")
    # Only the history of this test matters for repeats.
    Inspection.objects.filter(unit=window).update(kind="self")
    last_week_deduction(demo, window, checklist, inspector)
    photo = tmp_path / "desk.png"
    photo.write_bytes(image_bytes(fmt="PNG", size=(1600, 1200)))

    page = page_at(width=390, height=844)
    sign_in(page, "inspector", DEMO_PASSWORD)
    page.goto("/inspections/")
    page.get_by_role("link", name="临时检查").first.click()
    page.select_option("#id_unit", label=str(window))
    page.select_option("#id_checklist", label=str(checklist))
    page.get_by_role("button", name="开始").click()
    page.get_by_test_id("item").first.wait_for()
    assert page.get_by_test_id("item").count() == 30

    answer(page, 10, "deduct", 1)
    assert card(page, 10).get_by_test_id("repeat").is_visible()
    answer(page, 2, "deduct", 2)
    answer(page, 3, "deduct", 1)
    answer(page, 4, "na")
    answer(page, 5, "na")
    for position in (10, 2):
        with page.expect_response(lambda r: "/photos/" in r.url):
            card(page, position).get_by_test_id("photo-input").set_input_files(
                str(photo)
            )
        card(page, position).get_by_test_id("evidence-thumb").wait_for()
    assert card(page, 10).get_by_test_id("reference-thumb").count() == 1
    shot(page, "inspection-items-390")
    page.get_by_role("button", name="其余项目全部合格").click()
    page.get_by_test_id("finalize").click()
    page.get_by_test_id("finalize-confirm").click()
    page.get_by_text("检查已定稿").wait_for()
    shot(page, "inspection-final-390")

    final = Inspection.objects.get(
        unit=window, kind="official", state="final", inspected_on=timezone.localdate()
    )
    items = {i.position: i for i in checklist.items.all()}
    # Item 10 is an unfixed repeat: one occurrence, doubled. Items 4 and 5 are N/A.
    lost = 2 * items[10].deduction + 2 * items[2].deduction + items[3].deduction
    applicable = sum(i.max_points for p, i in items.items() if p not in (4, 5))
    expected = (100 * (applicable - lost) / applicable).quantize(Decimal("0.01"))
    assert final.score == expected
    assert page.get_by_test_id("score").inner_text() == str(expected)
    assert Problem.objects.filter(item_result__inspection=final).count() == 3
    assert final.results.filter(photos__isnull=False).count() == 2
    assert page.get_by_test_id("item").first.locator("form").count() == 0


def test_staff_acknowledge_a_standard_and_the_director_sees_who_has_not(demo, page_at):
    page = page_at(width=390, height=844)
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.get_by_test_id("standards-pending").get_by_role("link").click()
    desk = page.get_by_test_id("my-standard").filter(has_text="窗口桌面标准")
    assert desk.locator("img").count() >= 1
    desk.get_by_role("button", name="我已学习并遵照执行").click()
    page.get_by_text("已确认学习：窗口桌面标准").wait_for()
    shot(page, "standards-mine-390")

    clerk = Person.objects.get(user__username="clerk")
    standard = Standard.objects.get(center=demo, code="S-6-01")
    page = page_at(width=1280)
    sign_in(page, "director", DEMO_PASSWORD)
    page.goto(standard.get_absolute_url())
    page.get_by_role("link", name="学习确认情况").click()
    missing = page.get_by_test_id("not-acknowledged").inner_text()
    done = page.get_by_test_id("acknowledged-list").inner_text()
    assert clerk.name in done and clerk.name not in missing
    assert Person.objects.get(user__username="windowhead").name in missing
    shot(page, "standards-progress-1280")


def test_a_round_window_inspection_on_a_phone_waits_then_asks_before_finalizing(
    demo, page_at
):
    """This month's assessment: a window's inspection names, before its first
    item, the leadership and office inspections it waits for; its dress item
    names today's dress code; the running score stays in sight at the bottom
    while the items scroll; finalizing asks first."""
    rnd = Round.objects.get(center=demo, title="本月综合考核")
    inspection = rnd.inspections.get(unit__code="A02")
    inspector = Person.objects.get(user__username="inspector")
    earlier = list(rnd.inspections.filter(tier__lt=2, state="draft"))
    page = page_at(width=390, height=844)
    sign_in(page, "inspector", DEMO_PASSWORD)
    page.goto(inspection.get_absolute_url())

    waiting = page.get_by_test_id("waiting")
    assert waiting.get_by_role("link").count() == len(earlier) > 0
    first_item = page.get_by_test_id("item").first
    assert waiting.bounding_box()["y"] < first_item.bounding_box()["y"]
    assert page.get_by_test_id("finalize").is_disabled()
    today = timezone.localdate()
    dress = next(
        s
        for s in Standard.objects.filter(center=demo, code__in=["S-5.1-01", "S-5.1-02"])
        if s.in_season(today)
    )
    assert (
        first_item.get_by_test_id("item-standard").inner_text().strip() == dress.title
    )
    shot(page, "inspection-round-waiting-390")

    answer(page, 30, "deduct")
    score = page.get_by_test_id("running-score")
    box = score.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["y"] > 844 - 100
    assert "已查1 / 30项" in score.inner_text()
    page.screenshot(path=str(ARTIFACTS / "inspection-score-docked-390.png"))

    for other in earlier:
        services.items_pass_remaining(actor=inspector, inspection=other)
        services.inspection_finalize(actor=inspector, inspection=other)
    page.reload()
    assert page.get_by_test_id("waiting").count() == 0
    answer(page, 30, "pass")
    page.get_by_role("button", name="其余项目全部合格").click()
    page.get_by_test_id("finalize").click()
    dialog = page.get_by_test_id("finalize-dialog")
    wait_until(page, DIALOG_SHOWN)
    assert "不能撤销" in dialog.inner_text()
    page.screenshot(path=str(ARTIFACTS / "inspection-finalize-dialog-390.png"))
    dialog.get_by_role("button", name="取消").click()
    dialog.wait_for(state="hidden")
    inspection.refresh_from_db()
    assert not inspection.is_final
    page.get_by_test_id("finalize").click()
    dialog.get_by_test_id("finalize-confirm").click()
    page.get_by_text("检查已定稿").wait_for()
    inspection.refresh_from_db()
    assert inspection.is_final
