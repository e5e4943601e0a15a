"""The rectification flow on phones: a deduction becomes a problem, the
window fixes it, the inspector returns it, the liaison fixes it again and the
inspector verifies it; the audit trail shows every step."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gembahall.inspections import services
from gembahall.inspections.models import Checklist
from gembahall.org.demo import DEMO_PASSWORD
from gembahall.org.models import Person, Unit
from gembahall.rectification.models import Problem
from tests.browser.conftest import shot, sign_in
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
        actor=inspector, result=result, outcome="deduct", occurrences=1,
        note="桌面放有私人水杯",
    )  # fmt: skip
    services.item_photo_add(
        actor=inspector, result=result,
        upload=SimpleUploadedFile("e.jpg", image_bytes(), "image/jpeg"),
    )  # fmt: skip
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

    # The window head sees it on the home page and submits a fix photo.
    head = phone(page_at, "windowhead")
    head.goto("/")
    head.get_by_test_id("home-problems").locator(f"a[href='{url}']").click()
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

    # The liaison resubmits.
    liaison = phone(page_at, "liaison")
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

    # The audit trail shows each step, in order.
    director = page_at(width=1280)
    sign_in(director, "director", DEMO_PASSWORD)
    director.goto(url)
    trail = director.get_by_test_id("audit-trail").inner_text()
    actions = [a for a in trail.split() if a.startswith("problem.")]
    assert actions == [
        "problem.submit", "problem.return", "problem.submit", "problem.verify"
    ]  # fmt: skip
    history = director.get_by_test_id("step").all_inner_texts()
    assert len(history) == 4
    shot(director, "rectification-closed-1280")
