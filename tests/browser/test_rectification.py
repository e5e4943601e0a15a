"""The rectification flow on phones: a deduction becomes a problem, the
window fixes it, the inspector returns it, the liaison reads the note and
fixes it again and the inspector verifies it; the audit trail shows every
step. Then an improvement cycle through its searchable pickers and calendar,
and the English menu at desktop width."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gembahall.demo import DEMO_PASSWORD
from gembahall.inspections import services
from gembahall.inspections.models import Checklist
from gembahall.org.models import Person, Unit
from gembahall.rectification.models import Improvement, Problem
from tests.browser.conftest import shot, sign_in, wait_until
from tests.core.test_photos import image_bytes

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
POST_WITH_TOKEN = """async (url) => {
  const headers = JSON.parse(document.body.getAttribute('hx-headers'));
  const r = await fetch(url, {method: 'POST', headers});
  return r.status;
}"""


def phone(page_at, username):
    page = page_at(**PHONE)
    sign_in(page, username, DEMO_PASSWORD)
    return page


def fix(page, problem_url, cause, action, tmp_path, name):
    page.goto(problem_url)
    panel = page.get_by_test_id("fix-panel")
    panel.locator("textarea[name=cause]").fill(cause)
    panel.locator("textarea[name=action]").fill(action)
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(image_bytes())
    panel.locator("input[name=photos]").set_input_files(str(path))
    panel.locator("button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def test_deduction_to_verified_fix_on_phones(demo, page_at, tmp_path):
    window = Unit.objects.get(center=demo, code="A01")
    inspector = Person.objects.get(user__username="inspector")
    checklist = Checklist.objects.get(center=demo, code="WIN")
    inspection = services.inspection_start(
        actor=inspector, unit=window, checklist=checklist, on=timezone.localdate()
    )
    result = inspection.results.get(item__position=9)
    services.item_answer(
        actor=inspector,
        result=result,
        outcome="deduct",
        occurrences=1,
        note="桌面放有私人水杯",
    )
    services.item_photo_add(
        actor=inspector,
        result=result,
        upload=SimpleUploadedFile("e.jpg", image_bytes(), "image/jpeg"),
    )
    services.items_pass_remaining(actor=inspector, inspection=inspection)

    # The inspector finalizes on the phone: the deduction becomes a problem.
    insp = phone(page_at, "inspector")
    insp.goto(f"/inspections/{inspection.public_id}/")
    insp.get_by_test_id("finalize").click()
    insp.get_by_test_id("finalize-confirm").click()
    insp.wait_for_load_state("networkidle")
    problem = Problem.objects.get(item_result=result)
    url = problem.get_absolute_url()
    assert problem.state == "open" and problem.deadline is not None

    # The window head follows the home page's to-do to it and submits a fix photo.
    head = phone(page_at, "windowhead")
    head.goto("/")
    head.get_by_test_id("todo-problems.fix").click()
    head.locator(f"a[href='{url}']").first.click()
    head.wait_for_load_state("networkidle")
    assert head.get_by_test_id("verify-panel").count() == 0
    fix(head, url, "下班前未整理桌面", "私人物品移入更衣柜", tmp_path, "fix1")
    assert head.get_by_test_id("problem-state").first.inner_text() == "已提交整改"
    assert head.get_by_test_id("photo-after").count() == 1
    shot(head, "rectification-submitted-390")
    # A window head cannot verify, even by posting the form directly.
    status = head.evaluate(POST_WITH_TOKEN, f"{url}verify/")
    assert status == 403

    # The inspector returns it with a note.
    insp.goto(url)
    insp.get_by_test_id("verify-panel").locator("textarea[name=note]").fill(
        "抽屉内文具仍未定位"
    )
    insp.get_by_test_id("return").click()
    insp.wait_for_load_state("networkidle")
    assert insp.get_by_test_id("problem-state").first.inner_text() == "已退回"

    # The liaison reads the note first; the form holds what was sent.
    liaison = phone(page_at, "liaison")
    liaison.goto(url)
    panel = liaison.get_by_test_id("fix-panel")
    note = panel.get_by_test_id("return-note")
    assert "抽屉内文具仍未定位" in note.inner_text()
    form = panel.get_by_test_id("submit-form")
    assert note.bounding_box()["y"] < form.bounding_box()["y"]
    assert form.locator("textarea[name=cause]").input_value() == "下班前未整理桌面"
    assert panel.get_by_test_id("kept-photos").locator("img").count() == 1
    shot(liaison, "rectification-returned-390")
    fix(liaison, url, "文具盒未按标准定位", "按定位图重新摆放文具", tmp_path, "fix2")
    assert liaison.get_by_test_id("problem-state").first.inner_text() == "已提交整改"

    # The inspector verifies; the problem closes.
    insp.goto(url)
    shot(insp, "rectification-verify-390")
    insp.get_by_test_id("verify").click()
    insp.wait_for_load_state("networkidle")
    assert insp.get_by_test_id("problem-state").first.inner_text() == "已销号"
    problem.refresh_from_db()
    assert problem.state == "closed" and problem.verified_by == inspector

    # The audit trail shows each step, in order, in words: raised by the
    # finalized inspection, then the fix, its return, the fix again, verified.
    director = page_at(width=1280)
    sign_in(director, "director", DEMO_PASSWORD)
    director.goto(url)
    trail = director.get_by_test_id("audit-trail").locator("[data-action]")
    actions = [a for a in trail.evaluate_all("els => els.map(e => e.dataset.action)")]
    assert actions == [
        "problem.raise",
        "problem.submit",
        "problem.return",
        "problem.submit",
        "problem.verify",
    ]
    assert trail.all_inner_texts() == [
        "生成问题",
        "提交整改",
        "整改退回",
        "提交整改",
        "整改验收通过",
    ]
    history = director.get_by_test_id("step").all_inner_texts()
    assert len(history) == 4
    shot(director, "rectification-closed-1280")
    returned_wide = page_at(width=1280)
    sign_in(returned_wide, "liaison", DEMO_PASSWORD)
    returned_wide.goto(url)
    shot(returned_wide, "rectification-history-1280")
    my_standards_show_their_photos(liaison, returned_wide)

    improvement_on_a_phone(page_at, tmp_path)
    english_menu_at_1280(page_at)


def my_standards_show_their_photos(phone_page, wide_page):
    """我的标准 opens with the reference photos, loaded and in view."""
    phone_page.goto(reverse("standards:mine"))
    strip = phone_page.get_by_test_id("my-photos")
    first = strip.locator("img").first
    wait_until(phone_page, "img => img.naturalWidth > 0", first.element_handle())
    assert first.bounding_box()["y"] < PHONE["height"]
    shot(phone_page, "standards-mine-390")
    wide_page.goto(reverse("standards:mine"))
    shot(wide_page, "standards-mine-1280")


def chinese(page):
    """The page in Chinese whatever the browser's language."""
    page.goto("/")
    page.get_by_test_id("language-switch").locator("button[value=zh-hans]").click()
    page.wait_for_load_state("networkidle")


def pick(page, select_name, text, screenshot=""):
    """Type into a searchable picker and take the first match with Enter."""
    wrapper = page.locator(f"select[name={select_name}] + .ts-wrapper")
    wrapper.locator(".ts-control").click()
    page.keyboard.type(text)
    dropdown = wrapper.locator(".ts-dropdown")
    wait_until(
        page,
        """([box, text]) => {
          const shown = [...box.querySelectorAll('.option')];
          return shown.length && shown.every(o => o.textContent.includes(text));
        }""",
        [dropdown.element_handle(), text],
    )
    options = dropdown.locator(".option").all_inner_texts()
    if screenshot:
        shot(page, screenshot)
    page.keyboard.press("Enter")
    # Then a tap outside the picker, as a person closes it on a phone; the
    # list re-renders after a choice, so wait for it to settle closed.
    page.wait_for_timeout(250)
    page.locator("h1").first.click()
    dropdown.wait_for(state="hidden")
    page.wait_for_timeout(250)
    dropdown.wait_for(state="hidden")
    return options


def improvement_on_a_phone(page_at, tmp_path):
    """Pickers an inspector searches, a calendar in the page's language on an
    English browser, and a measure's evidence photo on the cycle's page."""
    head = Person.objects.get(user__username="windowhead")
    insp = page_at(**PHONE, locale="en-US")
    sign_in(insp, "inspector", DEMO_PASSWORD)
    chinese(insp)
    insp.goto(reverse("rectification:improvement_create"))
    options = pick(insp, "problems", "A01", "improvement-problems-picker-390")
    assert options and all("A01" in o for o in options)
    insp.locator("input[name=title]").fill("桌面定置再提升")
    insp.locator("textarea[name=goal]").fill("A01 桌面问题不再反复")
    shot(insp, "improvement-new-390")
    insp.get_by_role("button", name="保存").click()
    insp.wait_for_load_state("networkidle")
    improvement = Improvement.objects.get(title="桌面定置再提升")
    assert improvement.problems.filter(unit__code="A01").count() == 1

    insp.locator("input[name=title]").fill("贴蓝色定位线")
    owners = pick(insp, "owner", head.name, "improvement-owner-picker-390")
    assert owners[0].startswith(head.name) and "A01" in owners[0]
    due = insp.locator("input[name=due]")
    calendar = insp.locator(".flatpickr-calendar.open")
    due.click()
    if not calendar.count():  # the first click may only move the focus
        due.click()
    calendar.wait_for()
    assert "周一" in calendar.inner_text() and "Mon" not in calendar.inner_text()
    insp.wait_for_timeout(400)  # the calendar's opening animation
    shot(insp, "improvement-calendar-390")
    # Typed from the keyboard too: the calendar reads what is typed.
    on = timezone.localdate() + timedelta(days=7)
    due.fill(on.isoformat())
    due.press("Enter")
    insp.get_by_role("button", name="添加措施").click()
    insp.wait_for_load_state("networkidle")
    task = improvement.tasks.get()
    assert task.owner == head and task.due == on

    insp.locator("textarea[name=text]").fill("措施已定")
    insp.get_by_test_id("advance").click()
    insp.wait_for_load_state("networkidle")
    tasks = insp.get_by_test_id("tasks")
    tasks.locator("textarea[name=evidence]").fill("已贴定位线")
    path = tmp_path / "evidence.jpg"
    path.write_bytes(image_bytes())
    tasks.locator("input[name=photos]").set_input_files(str(path))
    tasks.get_by_role("button", name="完成").click()
    insp.wait_for_load_state("networkidle")
    thumb = insp.get_by_test_id("task-photos").locator("img")
    thumb.scroll_into_view_if_needed()
    wait_until(insp, "img => img.naturalWidth > 0", thumb.element_handle())
    shot(insp, "improvement-390")
    wide = page_at(width=1280)
    sign_in(wide, "inspector", DEMO_PASSWORD)
    wide.goto(improvement.get_absolute_url())
    shot(wide, "improvement-1280")
    wide.goto(reverse("rectification:improvement_create"))
    pick(wide, "problems", "A01", "improvement-problems-picker-1280")
    shot(wide, "improvement-new-1280")


SELECT_NEEDS = """s => {
  const style = getComputedStyle(s);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  const text = s.options[s.selectedIndex].text;
  return [ctx.measureText(text).width + parseFloat(style.paddingLeft)
          + parseFloat(style.paddingRight), s.clientWidth];
}"""


def english_menu_at_1280(page_at):
    """The English menu leaves the center switcher room for the full name."""
    director = page_at(width=1280, locale="en-US")
    sign_in(director, "director", DEMO_PASSWORD)
    director.goto("/")
    director.get_by_test_id("language-switch").locator("button[value=en]").click()
    director.wait_for_load_state("networkidle")
    switcher = director.get_by_test_id("center-switcher").locator("select")
    needs, has = switcher.evaluate(SELECT_NEEDS)
    assert needs <= has + 1, (needs, has)
    assert director.locator("nav.navbar").bounding_box()["height"] < 80
    assert director.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(director, "menu-english-1280")
