"""The catalogue's manager imports the province's export and edits an item."""

from pathlib import Path

import pytest

from gembahall.casework.models import ServiceItem
from gembahall.demo import DEMO_PASSWORD
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "catalogue-sample.csv"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_catalogue_is_imported_with_a_preview_then_an_item_edited(
    demo, page_at, width
):
    page = page_at(width=width, height=844 if width == 390 else 900)
    sign_in(page, "inspector", DEMO_PASSWORD)
    page.goto("/records/catalogue/")
    page.get_by_test_id("catalogue-import").click()
    shot(page, f"catalogue-upload-{width}")
    page.set_input_files("input[type=file]", str(SAMPLE))
    page.get_by_role("button", name="检查文件").click()
    page.get_by_test_id("import-preview-ok").wait_for()
    assert "企业设立登记" in page.get_by_test_id("catalogue-preview").inner_text()
    shot(page, f"catalogue-preview-{width}")
    page.get_by_test_id("catalogue-confirm").click()
    page.get_by_test_id("import-done").wait_for()
    item = ServiceItem.objects.get(center=demo, code="0129772001")

    page.goto(item.get_absolute_url())
    page.get_by_test_id("item-edit").click()
    page.fill("#id_materials", "申请书\n章程\n法定代表人任职文件")
    shot(page, f"catalogue-edit-{width}")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("materials").wait_for()
    assert "法定代表人任职文件" in page.get_by_test_id("materials").inner_text()
    shot(page, f"catalogue-item-{width}")
