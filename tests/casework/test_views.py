import subprocess

import pytest
from django.urls import reverse

from gembahall.casework.catalogue import catalogue_load
from gembahall.casework.models import ApiToken, FirstInquiry, ServiceItem, Ticket
from gembahall.core.models import Job
from tests import factories as f

from .conftest import ticket_rows, write_csv


def admin_of(hall):
    """The OSM office loads the service records (no administrator does)."""
    admin = f.person(hall.center, username="sys")
    f.grant(admin, "inspector")
    return admin


def test_the_upload_page_previews_then_imports(
    client, hall, tmp_path, django_capture_on_commit_callbacks
):
    f.signed_in(client, admin_of(hall))
    path = write_csv(tmp_path / "queue.csv", ticket_rows(4), encoding="gbk")
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        answer = client.post(
            reverse("casework:import"),
            {"kind": "tickets", "source": "叫号系统", "file": fh},
        )
    preview = Job.objects.get()
    assert answer["Location"] == reverse(
        "casework:import_job", args=[preview.public_id]
    )
    assert preview.state == "done" and preview.result["created"] == 4
    assert not Ticket.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casework:import_confirm", args=[preview.public_id]))
    assert Ticket.objects.count() == 4
    assert Ticket.objects.first().source.name == "叫号系统"
    done = Job.objects.exclude(pk=preview.pk).get()
    page = client.get(reverse("casework:import_job", args=[done.public_id]))
    assert page.status_code == 200 and done.percent == 100


def test_the_upload_page_lists_every_bad_row_and_writes_nothing(
    client, hall, tmp_path, django_capture_on_commit_callbacks
):
    f.signed_in(client, admin_of(hall))
    rows = ticket_rows(3)
    rows[1][2] = "Z9"
    path = write_csv(tmp_path / "queue.csv", rows)
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        client.post(reverse("casework:import"), {"kind": "tickets", "file": fh})
    job = Job.objects.get()
    page = client.get(reverse("casework:import_job", args=[job.public_id]))
    html = page.content.decode()
    assert job.state == "failed" and "<td>3</td>" in html and "Z9" in html
    assert not Ticket.objects.exists()


def test_a_file_that_is_not_csv_or_excel_is_refused(client, hall):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f.signed_in(client, admin_of(hall))
    answer = client.post(
        reverse("casework:import"),
        {"kind": "tickets", "file": SimpleUploadedFile("a.exe", b"MZ")},
    )
    assert (
        answer.status_code == 200
        and "请上传 CSV 或 Excel 文件" in answer.content.decode()
    )
    assert not Job.objects.exists()


@pytest.mark.pdftotext
def test_the_catalogue_and_its_one_time_notice(client, hall, tmp_path):
    catalogue_load(actor=None, center=hall.center)
    item = ServiceItem.objects.get(center=hall.center, name="企业设立登记")
    assert item.materials == ["申请书", "章程", "股东身份证明", "住所使用证明"]
    assert item.promised_days == 1 and item.statutory_days == 15
    clerk = f.person(hall.center, hall.a01, username="clerk")
    f.grant(clerk, "staff", unit=hall.a01)
    f.signed_in(client, clerk)
    page = client.get(reverse("casework:catalogue")).content.decode()
    assert "企业设立登记" in page
    pdf = client.get(reverse("casework:item_notice", args=[item.public_id]))
    assert pdf.content.startswith(b"%PDF")
    out = tmp_path / "n.pdf"
    out.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True
    ).stdout
    for material in item.materials:
        assert material in text


def test_a_guide_logs_a_first_inquiry(client, hall):
    guide = f.person(hall.center, username="guide")
    f.grant(guide, "guide", unit=hall.a01)
    f.signed_in(client, guide)
    answer = client.post(
        reverse("casework:inquiries"),
        {"question": "营业执照在哪里办", "ending": "escorted"},
    )
    assert "请选择把群众引导到了哪个窗口" in answer.content.decode()
    client.post(
        reverse("casework:inquiries"),
        {"question": "营业执照在哪里办", "ending": "escorted", "window": hall.a01.pk},
    )
    inquiry = FirstInquiry.objects.get()
    assert inquiry.answered_by == guide and inquiry.window == hall.a01


def test_an_api_key_is_shown_once_and_can_be_revoked(client, hall):
    f.signed_in(client, admin_of(hall))
    page = client.post(
        reverse("casework:tokens"),
        {"name": "一号叫号机", "source": "叫号系统", "kind": "tickets"},
    )
    key = page.context["key"]
    assert key.startswith("gh_") and key in page.content.decode()
    token = ApiToken.objects.get()
    listing = client.get(reverse("casework:tokens")).content.decode()
    assert "一号叫号机" in listing and token.prefix in listing
    assert key not in listing
    client.post(reverse("casework:token_revoke", args=[token.public_id]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_catalogue_inquiries_and_tickets_read_a_fixed_number_of_queries(
    client, hall, tmp_path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gembahall.casework.imports.tickets import import_tickets
    from gembahall.casework.services import inquiry_log

    director = f.person(hall.center, username="director")
    f.grant(director, "director")
    guide = f.person(hall.center, username="guide2")
    f.grant(guide, "guide", unit=hall.a01)
    f.signed_in(client, director)
    urls = [
        reverse("casework:catalogue"),
        reverse("casework:inquiries"),
        reverse("reports:tickets"),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as seen:
                assert client.get(url).status_code == 200
            result.append(len(seen))
        return result

    inquiry_log(actor=guide, question="在哪办", ending="answered")
    import_tickets(
        center=hall.center, path=write_csv(tmp_path / "a.csv", ticket_rows(1))
    )
    counts()
    few = counts()
    catalogue_load(actor=None, center=hall.center)
    for i in range(5):
        inquiry_log(
            actor=guide, question=f"问题{i}", ending="escorted", window=hall.a02
        )
    import_tickets(
        center=hall.center,
        path=write_csv(tmp_path / "b.csv", ticket_rows(8, day="2026-03-06")),
    )
    assert counts() == few


def test_the_ticket_import_refuses_a_file_over_the_cap_and_keeps_nothing(
    client, hall, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    f.signed_in(client, admin_of(hall))
    path = write_csv(tmp_path / "queue.csv", ticket_rows(9000))
    assert path.stat().st_size > settings.IMPORT_MAX_BYTES
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        answer = client.post(
            reverse("casework:import"), {"kind": "tickets", "file": fh}
        )
    assert answer.status_code == 200
    # The page answers in Chinese, naming the limit under the file field.
    assert "导入文件最大 1 MB" in answer.context["form"].errors["file"][0]
    assert not Job.objects.exists() and not Ticket.objects.exists()
    assert not (settings.MEDIA_ROOT / "imports").exists()
