"""The service catalogue imported from a province's export: items with their
limits, materials and departments; a bad row rejects the file; a later
export updates by 事项编码 and ends what it no longer lists."""

import csv
import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from gembahall.casework.catalogue import catalogue_import, catalogue_load
from gembahall.casework.models import ServiceItem
from gembahall.core.models import Event, Job
from tests import factories as f

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "catalogue-sample.csv"


@pytest.fixture
def hall(hall):
    hall.item.delete()  # the catalogue starts empty
    for name in ("不动产登记中心", "医疗保障局", "公安局"):
        f.department(hall.center, name)
    return hall


def sample_rows() -> tuple[list[str], list[list[str]]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write(path, header, rows):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode())
    return path


def test_the_national_sample_creates_items_with_limits_materials_and_departments(
    hall,
):
    report = catalogue_import(actor=None, center=hall.center, path=SAMPLE)
    assert report.accepted and not report.errors
    # 市场监管局 3, 不动产登记中心 3, 公安局 2, 医保局 (an alias) 2.
    assert report.created == 10
    assert "消防救援大队" in report.skipped
    item = ServiceItem.objects.get(center=hall.center, code="0129772001")
    assert item.name == "企业设立登记" and item.department == hall.dept
    assert item.handling == "promised"
    assert (item.statutory_days, item.promised_days) == (15, 1)
    assert item.materials == ["申请书", "章程", "股东身份证明", "住所使用证明"]
    assert item.implementation_code == "113302825239384990129772001000"
    assert item.category == "行政许可" and item.online_depth == "全程网办"
    assert item.visits == 0 and item.fee is False
    refund = ServiceItem.objects.get(center=hall.center, name="医疗费用报销")
    assert refund.department.name == "医疗保障局"
    assert Event.objects.filter(action="catalogue.import").count() == 1


def test_calendar_days_and_months_become_working_days(hall, tmp_path):
    header, rows = sample_rows()
    first = rows[0]
    first[6:10] = ["14", "自然日", "7", "自然日"]
    second = rows[3]
    second[6:10] = ["1", "个月", "", ""]
    report = catalogue_import(
        actor=None, center=hall.center, path=write(tmp_path / "c.csv", header, rows)
    )
    assert report.accepted
    one = ServiceItem.objects.get(code=first[0])
    assert (one.statutory_days, one.promised_days) == (10, 5)
    assert ServiceItem.objects.get(code=second[0]).statutory_days == 22


@pytest.mark.parametrize(
    "column,value,header,message",
    [
        (5, "特办件", "办件类型", "unknown handling type “特办件”"),
        (6, "十五", "法定办结时限", "“十五” is not a whole number"),
        (9, "周", "承诺时限单位", "unknown time unit “周”"),
    ],
)
def test_a_bad_row_rejects_the_whole_file_naming_row_and_column(
    hall, tmp_path, column, value, header, message
):
    head, rows = sample_rows()
    rows[4][column] = value
    path = write(tmp_path / "bad.csv", head, rows)
    report = catalogue_import(actor=None, center=hall.center, path=path)
    assert not report.accepted
    assert [(e.row, e.header) for e in report.errors] == [(6, header)]
    assert message in report.errors[0].message
    assert not ServiceItem.objects.exists()
    assert not Event.objects.filter(action="catalogue.import").exists()


def test_a_later_export_updates_by_code_and_ends_what_it_no_longer_lists(
    hall, tmp_path
):
    catalogue_import(actor=None, center=hall.center, path=SAMPLE)
    header, rows = sample_rows()
    removed = rows.pop(1)  # 个体工商户登记
    changed = rows[0]
    changed[2] = "企业设立登记（一网通办）"
    changed[10] += "；授权委托书"
    report = catalogue_import(
        actor=None, center=hall.center, path=write(tmp_path / "v2.csv", header, rows)
    )
    assert report.accepted and report.created == 0 and report.updated == 1
    assert report.ended == [f"{removed[0]} {removed[2]}"]
    item = ServiceItem.objects.get(code=changed[0])
    assert item.name == "企业设立登记（一网通办）"
    assert item.materials[-1] == "授权委托书"
    ended = ServiceItem.objects.get(code=removed[0])
    assert ended.ended_on is not None and not ended.active
    assert ServiceItem.objects.filter(center=hall.center).count() == 10
    # Listed again, it comes back.
    catalogue_import(actor=None, center=hall.center, path=SAMPLE)
    ended.refresh_from_db()
    assert ended.ended_on is None and ended.active


def test_the_starter_list_loads_through_the_same_import_and_ends_nothing(hall):
    first = catalogue_load(actor=None, center=hall.center)
    assert first["created"] == 10 and "消防救援大队" in first["skipped"]
    again = catalogue_load(actor=None, center=hall.center)
    assert again["created"] == 0 and again["items"] == 10
    # The national list then gives the same items their codes.
    report = catalogue_import(actor=None, center=hall.center, path=SAMPLE)
    assert report.created == 0 and report.updated == 10 and report.ended == []
    assert not ServiceItem.objects.filter(code="").exists()


def test_the_command_previews_then_imports(hall, capsys):
    call_command("import_catalogue", str(SAMPLE), center=hall.center.code, dry_run=True)
    assert "Dry run" in capsys.readouterr().out
    assert not ServiceItem.objects.exists()
    call_command("import_catalogue", str(SAMPLE), center=hall.center.code)
    out = capsys.readouterr()
    assert "10 new" in out.out and "消防救援大队" in out.err
    assert ServiceItem.objects.count() == 10


def test_the_command_names_the_bad_row_and_writes_nothing(hall, tmp_path, capsys):
    head, rows = sample_rows()
    rows[0][5] = "特办件"
    path = write(tmp_path / "bad.csv", head, rows)
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_catalogue", str(path), center=hall.center.code)
    assert "row 2, column 办件类型" in capsys.readouterr().err
    assert not ServiceItem.objects.exists()


def test_the_upload_page_previews_then_imports(
    client, hall, django_capture_on_commit_callbacks
):
    f.signed_in(client, hall.inspector)
    with django_capture_on_commit_callbacks(execute=True), SAMPLE.open("rb") as fh:
        answer = client.post(reverse("casework:catalogue_import"), {"file": fh})
    preview = Job.objects.get(kind="catalogue_import")
    assert answer["Location"] == reverse(
        "casework:catalogue_job", args=[preview.public_id]
    )
    page = client.get(answer["Location"]).content.decode()
    assert preview.state == "done" and "企业设立登记" in page
    assert not ServiceItem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casework:catalogue_confirm", args=[preview.public_id]))
    assert ServiceItem.objects.count() == 10


def test_the_upload_page_lists_the_bad_row_and_writes_nothing(
    client, hall, tmp_path, django_capture_on_commit_callbacks
):
    head, rows = sample_rows()
    rows[2][6] = "十五"
    path = write(tmp_path / "bad.csv", head, rows)
    f.signed_in(client, hall.inspector)
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        client.post(reverse("casework:catalogue_import"), {"file": fh})
    job = Job.objects.get(kind="catalogue_import")
    html = client.get(reverse("casework:catalogue_job", args=[job.public_id]))
    html = html.content.decode()
    assert job.state == "failed" and "<td>4</td>" in html and "法定办结时限" in html
    assert not ServiceItem.objects.exists()


def test_a_window_clerk_may_not_edit_or_import_the_catalogue(client, hall):
    catalogue_import(actor=None, center=hall.center, path=SAMPLE)
    item = ServiceItem.objects.get(code="0129772001")
    f.signed_in(client, hall.clerk)
    edit = reverse("casework:item_edit", args=[item.public_id])
    assert client.get(edit).status_code == 403
    assert client.get(reverse("casework:catalogue_import")).status_code == 403


@pytest.mark.pdftotext
def test_an_edited_item_prints_its_new_materials_on_the_notice(client, hall, tmp_path):
    catalogue_import(actor=None, center=hall.center, path=SAMPLE)
    item = ServiceItem.objects.get(code="0129772001")
    f.signed_in(client, hall.inspector)
    form = client.get(reverse("casework:item_edit", args=[item.public_id]))
    assert "股东身份证明\n住所使用证明" in form.content.decode()
    answer = client.post(
        reverse("casework:item_edit", args=[item.public_id]),
        {
            "name": "企业设立登记",
            "code": item.code,
            "department": hall.dept.pk,
            "handling": "promised",
            "statutory_days": 15,
            "promised_days": 2,
            "materials": "申请书\n章程\n法定代表人任职文件",
            "visits": 0,
        },
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.materials == ["申请书", "章程", "法定代表人任职文件"]
    event = Event.objects.get(action="service_item.update")
    assert event.after["promised_days"] == 2 and event.before["promised_days"] == 1
    pdf = client.get(reverse("casework:item_notice", args=[item.public_id]))
    out = tmp_path / "notice.pdf"
    out.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "法定代表人任职文件" in text and "股东身份证明" not in text


def test_an_edit_past_the_statutory_limit_is_refused_on_the_form(client, hall):
    catalogue_import(actor=None, center=hall.center, path=SAMPLE)
    item = ServiceItem.objects.get(code="0129772001")
    f.signed_in(client, hall.inspector)
    answer = client.post(
        reverse("casework:item_edit", args=[item.public_id]),
        {
            "name": item.name,
            "department": hall.dept.pk,
            "handling": "promised",
            "statutory_days": 15,
            "promised_days": 20,
        },
    )
    assert answer.status_code == 200
    item.refresh_from_db()
    assert item.promised_days == 1
    assert not Event.objects.filter(action="service_item.update").exists()
