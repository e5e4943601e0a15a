"""Flows a person walks: opening a department in the org tree, previewing and
importing a roster, renumbering a window."""

import pytest
from openpyxl import Workbook

from gembahall.demo import DEMO_PASSWORD
from gembahall.org.models import Person, Unit
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def test_director_opens_a_department_and_sees_its_windows(demo, page_at):
    page = page_at(width=1280)
    sign_in(page, "director", DEMO_PASSWORD)
    page.goto("/org/")
    department = page.get_by_test_id("department").first
    department.locator("summary").click()
    windows = department.get_by_test_id("windows")
    windows.wait_for()
    assert windows.locator("li").count() >= 1
    shot(page, "org-tree-1280")


def test_sysadmin_previews_then_imports_a_roster(demo, page_at, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "窗口编号", "进驻部门", "手机", "角色"])
    ws.append(["NEW001", "新同事甲", "D01", "新进驻部门", "13900000001", "工作人员"])
    ws.append(["NEW002", "新同事乙", "D01", "新进驻部门", "123", "工作人员"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    ws.delete_rows(3)
    good = tmp_path / "good.xlsx"
    wb.save(good)

    page = page_at(width=390, height=844)
    sign_in(page, "sysadmin", DEMO_PASSWORD)
    page.goto("/org/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="检查花名册").click()
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    assert "3" in page.locator("table").inner_text()
    assert "手机" in page.locator("table").inner_text()
    shot(page, "roster-errors-390")
    assert not Person.objects.filter(staff_number="NEW001").exists()

    page.goto("/org/import/")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="检查花名册").click()
    page.get_by_test_id("import-preview-ok").wait_for()
    page.get_by_role("button", name="立即导入").click()
    page.get_by_test_id("import-done").wait_for()
    shot(page, "roster-done-390")
    assert Person.objects.get(staff_number="NEW001").unit.code == "D01"


def test_sysadmin_renumbers_a_window_and_history_keeps_the_old_code(demo, page_at):
    window = Unit.objects.get(center=demo, code="A02")
    page = page_at(width=1280)
    sign_in(page, "sysadmin", DEMO_PASSWORD)
    page.goto(f"/org/units/{window.public_id}/edit/")
    page.fill("#id_code", "A66")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("unit-code").wait_for()
    assert page.get_by_test_id("unit-code").inner_text() == "A66"
    history = page.get_by_test_id("unit-history").inner_text()
    assert "A02" in history and "A66" in history
    roles = page.get_by_test_id("role-history").inner_text()
    assert "A02" in roles
    shot(page, "unit-renumbered-1280")
