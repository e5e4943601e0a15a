"""The OSM office builds a small checklist on a phone: a new checklist, two
items, their order changed by number, then published."""

import shutil

import pytest

from gembahall.inspections.models import Checklist
from tests import factories as f
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def inspector(transactional_db):
    center = f.center("试点中心")
    f.unit(center)
    person = f.person(center, username="osm")
    f.grant(person, "inspector")
    return person


def add_item(page, chapter, criterion, points, method, kind=None):
    page.get_by_role("link", name="添加检查项").click()
    page.select_option("#id_chapter", chapter)
    page.fill("#id_section", "本中心分组")
    page.fill("#id_criterion", criterion)
    page.fill("#id_max_points", points)
    page.fill("#id_deduction", "1")
    page.select_option("#id_method", method)
    if kind:
        page.check(f"input[name=unit_kinds][value={kind}]")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")


def test_the_osm_office_builds_a_checklist_on_a_phone(page_at, inspector):
    page = page_at(width=390, height=844)
    sign_in(page, "osm", f.PASSWORD)
    page.goto("/inspections/checklists/")
    page.get_by_role("link", name="新建检查表").click()
    page.fill("#id_code", "PATROL")
    page.fill("#id_title", "每日巡查表")
    page.fill("#id_total_points", "10")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")

    add_item(page, "06", "通道畅通无杂物", "6", "look")
    add_item(page, "05.3", "首问负责，问询有答", "4", "inquiry", kind="window")
    rows = page.get_by_test_id("checklist-items").locator("tbody tr")
    assert rows.count() == 2
    assert "问询" in rows.nth(0).inner_text()  # chapter 5.3 comes before 6
    assert page.locator("body").evaluate("b => b.scrollWidth") <= 390

    # Both in one chapter now, so the order within it is the inspector's.
    page.locator("a:visible", has_text="编辑").nth(0).click()
    page.select_option("#id_chapter", "06")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    table = page.get_by_test_id("checklist-items")
    assert "首问负责" in table.locator("tbody tr").nth(0).inner_text()
    numbers = page.locator("input.order-number")
    numbers.nth(0).fill("2")
    numbers.nth(1).fill("1")
    page.get_by_test_id("save-order").click()
    page.wait_for_load_state("networkidle")
    assert "通道畅通" in table.locator("tbody tr").nth(0).inner_text()
    shutil.copy(shot(page, "checklist-builder-390"), "/tmp/checklist-builder-390.png")

    page.get_by_role("button", name="发布此版本").click()
    page.wait_for_load_state("networkidle")
    checklist = Checklist.objects.get(code="PATROL")
    assert checklist.state == "published" and checklist.total_points == 10
    items = list(checklist.items.order_by("position"))
    assert [i.criterion for i in items] == ["通道畅通无杂物", "首问负责，问询有答"]
    assert items[1].method == "inquiry" and items[1].unit_kinds == ["window"]


def test_the_builder_pages_at_both_widths(page_at, inspector, tmp_path):
    """Each builder page fits a phone, and an edited workbook shows its changes
    before it is imported (screenshots for the docs)."""
    import io

    import openpyxl

    from gembahall.inspections.content import starter_checklists_load

    starter_checklists_load(center=inspector.center)
    win = Checklist.objects.get(code="WIN")
    for width in (390, 1280):
        page = page_at(width=width, height=900)
        sign_in(page, "osm", f.PASSWORD)
        for name, url in (
            ("list", "/inspections/checklists/"),
            ("copy", "/inspections/checklists/copy/"),
            ("new", "/inspections/checklists/new/"),
            ("checklist", win.get_absolute_url()),
        ):
            page.goto(url)
            assert page.locator("body").evaluate("b => b.scrollWidth") <= width
            shutil.copy(
                shot(page, f"checklist-{name}-{width}"),
                f"/tmp/checklist-{name}-{width}.png",
            )
        export = page.request.get(
            f"/inspections/checklists/{win.public_id}/export.xlsx"
        )
        book = openpyxl.load_workbook(io.BytesIO(export.body()))
        sheet = book.active
        sheet.cell(2, 5).value = "桌面只放定置物品"
        path = tmp_path / f"win-{width}.xlsx"
        book.save(path)
        page.goto(f"/inspections/checklists/{win.public_id}/import/")
        page.set_input_files("#id_file", str(path))
        page.get_by_role("button", name="检查工作簿").click()
        page.wait_for_load_state("networkidle")
        preview = page.get_by_test_id("import-preview")
        assert "检查内容" in preview.inner_text()
        assert page.locator("body").evaluate("b => b.scrollWidth") <= width
        shutil.copy(
            shot(page, f"checklist-import-{width}"),
            f"/tmp/checklist-import-{width}.png",
        )
    page.get_by_test_id("import-confirm").click()
    page.wait_for_load_state("networkidle")
    draft = Checklist.objects.get(code="WIN", number=2)
    assert draft.items.get(position=1).criterion == "桌面只放定置物品"
