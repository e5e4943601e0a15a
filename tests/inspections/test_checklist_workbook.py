"""Checklists out to Excel and back, copies, and versions in use."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from gembahall.core.models import Event
from gembahall.inspections import builder, planning, services
from gembahall.inspections.models import Checklist, ChecklistItem
from gembahall.inspections.workbook import ChecklistImporter, checklist_workbook
from tests import factories as f


@pytest.fixture
def hall(db):
    c = f.center()
    window = f.unit(c)
    inspector = f.person(c, username="insp")
    f.grant(inspector, "inspector")
    checklist = f.checklist(c, n=3)
    checklist.total_points = Decimal(12)
    checklist.save()
    return {"center": c, "window": window, "inspector": inspector, "v1": checklist}


def sheet_of(checklist):
    book = openpyxl.load_workbook(io.BytesIO(checklist_workbook(checklist)))
    return book, book.active


def saved(book, tmp_path, name="edited.xlsx"):
    path = tmp_path / name
    book.save(path)
    return path


def run(hall, path, *, dry_run=False, publish=False):
    return ChecklistImporter(
        actor=hall["inspector"],
        checklist=hall["v1"],
        path=path,
        dry_run=dry_run,
        publish=publish,
    ).run()


def column(sheet, header):
    return [c.value for c in sheet[1]].index(header) + 1


def test_one_changed_and_one_added_item_import_as_exactly_that_version(hall, tmp_path):
    v1 = hall["v1"]
    book, sheet = sheet_of(v1)
    points, criterion = column(sheet, "分值"), column(sheet, "检查内容")
    cap = column(sheet, "扣分上限")
    assert sheet.cell(5, criterion).value == "合计"
    # Item 1 gives 2 of its 4 points to a new item, so the total stays 12.
    sheet.cell(2, points).value = 2
    sheet.cell(2, cap).value = 2
    sheet.insert_rows(5)
    new = {"章节": "9", "检查内容": "开关有标识", "分值": 2, "每处扣分": 0.5}
    for header, value in new.items():
        sheet.cell(5, column(sheet, header)).value = value
    path = saved(book, tmp_path)

    preview = run(hall, path, dry_run=True)
    assert preview.accepted and preview.errors == []
    assert preview.added == ["开关有标识"]
    assert [c["criterion"] for c in preview.changed] == ["检查项1"]
    assert preview.removed == []
    assert Checklist.objects.count() == 1

    report = run(hall, path)
    assert report.accepted and report.version == 2
    v2 = Checklist.objects.get(code=v1.code, number=2)
    assert v2.state == "draft"
    old = {i.key: i for i in v1.items.all()}
    items = list(v2.items.order_by("position"))
    assert len(items) == 4
    assert sum(i.max_points for i in items) == 12
    changed = [
        i for i in items if i.key in old and i.max_points != old[i.key].max_points
    ]
    assert [(i.criterion, i.max_points) for i in changed] == [("检查项1", 2)]
    added = [i for i in items if i.key not in old]
    assert [(i.criterion, i.chapter, i.deduction) for i in added] == [
        ("开关有标识", "09", Decimal("0.5"))
    ]
    assert v1.items.get(criterion="检查项1").max_points == 4
    assert Event.objects.filter(action="checklist.import").count() == 1


def test_an_unchanged_file_imports_as_no_change(hall, tmp_path):
    book, _sheet = sheet_of(hall["v1"])
    report = run(hall, saved(book, tmp_path))
    assert report.accepted and report.no_change
    assert Checklist.objects.count() == 1
    assert not Event.objects.filter(action="checklist.import").exists()


def test_a_bad_row_rejects_the_whole_file_naming_row_and_column(hall, tmp_path):
    book, sheet = sheet_of(hall["v1"])
    sheet.cell(2, column(sheet, "检查内容")).value = "改过的第一项"
    sheet.cell(3, column(sheet, "每处扣分")).value = "很多"
    report = run(hall, saved(book, tmp_path), publish=True)
    assert not report.accepted
    assert [(e.row, e.header) for e in report.errors] == [(3, "每处扣分")]
    assert Checklist.objects.count() == 1
    assert hall["v1"].items.filter(criterion="改过的第一项").count() == 0


def test_points_that_do_not_add_up_to_the_total_are_an_error(hall, tmp_path):
    book, sheet = sheet_of(hall["v1"])
    sheet.cell(2, column(sheet, "分值")).value = 5
    report = run(hall, saved(book, tmp_path))
    assert not report.accepted
    (error,) = report.errors
    assert error.row == 5 and error.header == "分值"
    assert "13" in error.message and "12" in error.message
    assert Checklist.objects.count() == 1


def test_a_key_of_another_checklist_is_refused(hall, tmp_path):
    other = f.checklist(hall["center"], n=1, code="OFF")
    book, sheet = sheet_of(hall["v1"])
    sheet.cell(2, 1).value = str(other.items.get().key)
    report = run(hall, saved(book, tmp_path))
    assert [(e.row, e.column) for e in report.errors] == [(2, "key")]


def test_an_import_published_at_once_retires_the_version_before(hall, tmp_path):
    book, sheet = sheet_of(hall["v1"])
    sheet.cell(2, column(sheet, "检查方式")).value = "问询"
    report = run(hall, saved(book, tmp_path), publish=True)
    assert report.published
    hall["v1"].refresh_from_db()
    assert hall["v1"].state == "retired"
    v2 = Checklist.objects.get(number=2, state="published")
    assert v2.items.get(position=1).method == "inquiry"


def test_editing_a_checklist_in_use_keeps_the_running_inspection_on_its_version(
    hall,
):
    v1, inspector = hall["v1"], hall["inspector"]
    running = services.inspection_start(
        actor=inspector, unit=hall["window"], checklist=v1
    )
    draft = planning.checklist_draft(actor=inspector, checklist=v1)
    planning.checklist_item_save(
        actor=inspector,
        checklist=draft,
        item=draft.items.get(position=1),
        criterion="改过",
        max_points=Decimal(4),
    )
    planning.checklist_publish(actor=inspector, checklist=draft)
    running.refresh_from_db()
    assert running.checklist == v1
    assert {r.item.criterion for r in running.results.all()} == {
        "检查项1",
        "检查项2",
        "检查项3",
    }
    fresh = services.inspection_start(
        actor=inspector, unit=hall["window"], checklist=draft
    )
    assert "改过" in {r.item.criterion for r in fresh.results.all()}


def test_items_apply_to_the_unit_kinds_they_name(hall):
    item = hall["v1"].items.get(position=3)
    item.unit_kinds = ["intermediary"]
    item.save()
    inspection = services.inspection_start(
        actor=hall["inspector"], unit=hall["window"], checklist=hall["v1"]
    )
    assert inspection.results.count() == 2


def test_publishing_checks_the_stated_total(hall):
    draft = planning.checklist_draft(actor=hall["inspector"], checklist=hall["v1"])
    planning.checklist_item_remove(actor=hall["inspector"], item=draft.items.first())
    with pytest.raises(Exception, match="8"):
        planning.checklist_publish(actor=hall["inspector"], checklist=draft)


def test_copy_from_the_starter_library(hall):
    copied = builder.checklist_copy(
        actor=hall["inspector"],
        center=hall["center"],
        starter="WIN",
        code="MYWIN",
        title="本中心窗口检查表",
    )
    assert copied.state == "draft" and copied.number == 1
    assert copied.items.count() == 30
    assert copied.total_points == 100
    planning.checklist_publish(actor=hall["inspector"], checklist=copied)


def test_copy_from_another_center_gets_new_keys_and_own_standards(hall):
    other = f.center("乙中心")
    source = f.checklist(other, n=2, code="B")
    copied = builder.checklist_copy(
        actor=hall["inspector"],
        center=hall["center"],
        source=source,
        code="FROM-B",
        title="借鉴乙中心",
    )
    keys = set(copied.items.values_list("key", flat=True))
    assert len(keys) == 2 and not keys & set(source.items.values_list("key", flat=True))
    assert copied.center == hall["center"]


def test_retire_is_refused_while_an_active_plan_uses_the_checklist(hall):
    plan = f.plan(hall["center"])
    with pytest.raises(Exception, match=plan.name):
        builder.checklist_retire(actor=hall["inspector"], checklist=hall["v1"])
    plan.is_active = False
    plan.save()
    builder.checklist_retire(actor=hall["inspector"], checklist=hall["v1"])
    hall["v1"].refresh_from_db()
    assert hall["v1"].state == "retired"


def test_another_centers_checklist_answers_404(hall, client):
    other = f.checklist(f.center("乙中心"), n=1, code="B")
    f.signed_in(client, hall["inspector"])
    for name in ("checklist_export", "checklist_import", "checklist_settings"):
        url = reverse(f"inspections:{name}", args=[other.public_id])
        assert client.get(url).status_code == 404, name
    own = reverse("inspections:checklist_export", args=[hall["v1"].public_id])
    response = client.get(own)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")


def test_the_import_page_previews_then_writes(hall, client, tmp_path):
    book, sheet = sheet_of(hall["v1"])
    sheet.cell(2, column(sheet, "检查内容")).value = "桌面整洁"
    path = saved(book, tmp_path)
    f.signed_in(client, hall["inspector"])
    url = reverse("inspections:checklist_import", args=[hall["v1"].public_id])
    with path.open("rb") as handle:
        page = client.post(url, {"file": handle})
    assert page.status_code == 200
    assert "桌面整洁" in page.content.decode() or "检查项1" in page.content.decode()
    assert Checklist.objects.count() == 1
    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    v2 = Checklist.objects.get(number=2)
    assert v2.items.get(position=1).criterion == "桌面整洁"
    assert not ChecklistItem.objects.filter(checklist=hall["v1"], criterion="桌面整洁")


def test_the_copy_page_offers_the_starter_library_and_visible_centers_only(
    hall, client
):
    hidden = f.checklist(f.center("乙中心"), n=1, code="HIDDEN")
    f.signed_in(client, hall["inspector"])
    url = reverse("inspections:checklist_copy")
    page = client.get(url).content.decode()
    assert "starter:WIN" in page and str(hall["v1"].public_id) in page
    assert str(hidden.public_id) not in page
    refused = client.post(
        url, {"source": str(hidden.public_id), "code": "X", "title": "抄"}
    )
    assert refused.status_code == 200
    assert not Checklist.objects.filter(code="X").exists()
    done = client.post(url, {"source": "starter:HALL", "code": "H2", "title": "大厅"})
    copied = Checklist.objects.get(code="H2")
    assert done.status_code == 302 and done["Location"] == copied.get_absolute_url()
    assert copied.items.count() == 9
