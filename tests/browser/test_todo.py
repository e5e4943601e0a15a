"""The to-do list as new users meet it: each demo role signs in, opens its
home page, follows each to-do link, acts on it and sees the count drop; the
PDCAA chain runs from the cycle's draft to the director's publishing to the
staff's acknowledgement."""

import re

import pytest

from gembahall.demo import DEMO_PASSWORD
from gembahall.org.models import Person, Unit
from gembahall.ratings.services import rating_submit
from gembahall.rectification import improvements as cycle
from gembahall.rectification.models import Improvement
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def count(page, kind) -> int:
    """The to-do count of one kind on the home page; 0 when it is gone."""
    page.goto("/")
    item = page.get_by_test_id(f"todo-{kind}")
    if item.count() == 0:
        return 0
    return int(item.get_by_test_id("todo-count").inner_text())


def follow(page, kind) -> None:
    page.goto("/")
    page.get_by_test_id(f"todo-{kind}").click()
    page.wait_for_load_state("networkidle")


def both_widths(page, name) -> None:
    page.set_viewport_size(PHONE)
    shot(page, f"{name}-390")
    page.set_viewport_size(WIDE)
    shot(page, f"{name}-1280")


def cycle_at_standardize(center) -> Improvement:
    """The demo's cycle under way, carried to its last step."""
    inspector = Person.objects.get(user__username="inspector")
    improvement = Improvement.objects.get(center=center, stage="do")
    for task in improvement.tasks.all():
        cycle.task_done(actor=inspector, task=task, evidence="灯箱已安装")
    for text in ("已完成", "复查到达率 96%", "灯箱亮度调高"):
        improvement = cycle.improvement_advance(
            actor=inspector, improvement=improvement, text=text
        )
    return improvement


def test_each_role_follows_its_to_do_list_and_sees_it_shrink(demo, page_at):
    improvement = cycle_at_standardize(demo)
    a01 = Unit.objects.get(center=demo, code="A01")
    bad = rating_submit(window=a01, level=1, reasons=["slow"], comment="等太久")

    # The inspector: verifies a fix, reviews a practice, writes the standard.
    insp = page_at(**WIDE)
    sign_in(insp, "inspector", DEMO_PASSWORD)
    both_widths(insp, "todo-home-inspector")
    fixes = count(insp, "problems.verify")
    assert fixes >= 1
    follow(insp, "problems.verify")
    assert "state=submitted" in insp.url
    insp.get_by_test_id("problem-list").locator("a").first.click()
    insp.get_by_test_id("verify").click()
    insp.wait_for_load_state("networkidle")
    assert count(insp, "problems.verify") == fixes - 1

    practices = count(insp, "practices.review")
    assert practices >= 1
    follow(insp, "practices.review")
    both_widths(insp, "todo-practices-to-review")
    insp.get_by_test_id("practice-list").locator("a").first.click()
    insp.get_by_test_id("review").locator("button[value=publish]").click()
    insp.wait_for_load_state("networkidle")
    assert count(insp, "practices.review") == practices - 1

    insp.goto(improvement.get_absolute_url())
    insp.get_by_test_id("standardize").locator("a").click()
    insp.locator("textarea[name=body]").fill("叫号屏与窗口号牌使用双面灯箱。")
    insp.locator("form:has(textarea[name=body]) button[type=submit]").click()
    insp.wait_for_load_state("networkidle")
    improvement.refresh_from_db()
    draft = improvement.version
    assert draft is not None and draft.state == "draft"

    # The director: figures first, then the draft, read and published.
    boss = page_at(**WIDE)
    sign_in(boss, "director", DEMO_PASSWORD)
    boss.goto("/")
    glance = boss.get_by_test_id("center-glance")
    assert glance.get_by_test_id("glance-rectification").count() == 1
    assert glance.get_by_test_id("glance-satisfaction").count() == 1
    assert boss.get_by_test_id("center-overdue").count() == 0
    both_widths(boss, "todo-home-director")
    drafts = count(boss, "standards.publish")
    assert drafts >= 1
    follow(boss, "standards.publish")
    both_widths(boss, "todo-standards-drafts")
    boss.goto(draft.standard.get_absolute_url())
    both_widths(boss, "todo-standard-draft-waiting")
    boss.get_by_test_id("review-draft").click()
    boss.wait_for_load_state("networkidle")
    assert "双面灯箱" in boss.get_by_test_id("draft-body").inner_text()
    both_widths(boss, "todo-standard-publish")
    boss.get_by_test_id("publish-panel").locator("button[type=submit]").click()
    boss.wait_for_load_state("networkidle")
    assert boss.get_by_test_id("current-version").count() == 1
    assert count(boss, "standards.publish") == drafts - 1
    improvement.refresh_from_db()
    assert improvement.stage == "done"

    # The window head: calls the citizen back.
    head = page_at(**PHONE)
    sign_in(head, "windowhead", DEMO_PASSWORD)
    calls = count(head, "ratings.callback")
    assert calls >= 1
    both_widths(head, "todo-home-window-head")
    follow(head, "ratings.callback")
    both_widths(head, "todo-callbacks")
    head.locator(f"a[href='{bad.get_absolute_url()}']").click()
    form = head.get_by_test_id("callback-form")
    form.locator("textarea").fill("已致电群众，致歉并说明分流安排")
    form.locator("button[type=submit]").click()
    head.wait_for_load_state("networkidle")
    assert count(head, "ratings.callback") == calls - 1
    # The open problems of the window say how many and link to all of them.
    head.goto("/")
    problems = head.get_by_test_id("home-problems")
    total = int(re.search(r"\d+", problems.locator("h2 .badge").inner_text())[0])
    assert problems.locator("a.list-group-item").count() == min(total, 8)
    problems.get_by_test_id("more").locator("a").click()
    assert "state=not_closed" in head.url

    # Staff at a window see the new version to acknowledge.
    clerk = page_at(**PHONE)
    sign_in(clerk, "clerk", DEMO_PASSWORD)
    clerk.goto("/standards/mine/")
    row = clerk.locator(f"a[href='{draft.standard.get_absolute_url()}']")
    assert row.count() >= 1
    clerk.goto(draft.standard.get_absolute_url())
    assert "双面灯箱" in clerk.get_by_test_id("current-version").inner_text()
    clerk.locator("form[action$='/acknowledge/'] button").click()
    clerk.wait_for_load_state("networkidle")
    assert clerk.get_by_test_id("acknowledged").count() == 1
