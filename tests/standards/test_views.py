"""Standards pages: the library, my standards, acknowledgements, cards, manuals."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gembahall.standards import services
from gembahall.standards.models import Standard
from tests import factories as f
from tests.core.test_photos import image_bytes
from tests.org.test_views import queries
from tests.standards.test_services import hall as hall  # noqa: PLC0414


def published(hall, code="S-6-01", title="窗口桌面标准", chapter="06", photo=True):
    standard = services.standard_create(
        actor=hall["inspector"],
        center=hall["center"],
        code=code,
        body="桌面仅摆放定置物品。",
        title=title,
        domain="resources",
        chapter=chapter,
    )
    draft = standard.versions.get()
    if photo:
        services.reference_photo_add(
            actor=hall["inspector"],
            version=draft,
            caption="桌面定置图",
            upload=SimpleUploadedFile("d.jpg", image_bytes(), "image/jpeg"),
        )
    services.version_publish(actor=hall["director"], version=draft)
    standard.refresh_from_db()
    return standard


def test_staff_acknowledge_from_my_standards_and_the_director_sees_who_has_not(
    client, hall
):
    standard = published(hall)
    f.signed_in(client, hall["clerk"])
    page = client.get(reverse("standards:mine")).content.decode()
    assert "窗口桌面标准" in page and "/thumb/" in page
    client.post(
        reverse("standards:acknowledge", args=[standard.current.public_id]),
        {"next": reverse("standards:mine")},
    )
    page = client.get(reverse("standards:mine")).content.decode()
    assert "已确认" in page
    f.signed_in(client, hall["director"])
    page = client.get(reverse("standards:progress", args=[standard.public_id]))
    text = page.content.decode()
    missing = text[text.index('data-testid="not-acknowledged"') :]
    assert hall["clerk2"].name in missing[: missing.index("</table>")]
    assert hall["clerk"].name not in missing[: missing.index("</table>")]


def test_my_standards_show_the_reference_photos_up_front(client, hall):
    for i in range(6):
        published(hall, code=f"T{i}", title=f"文字标准{i}", photo=False)
    standard = published(hall)
    f.signed_in(client, hall["clerk"])
    page = client.get(reverse("standards:mine")).content.decode()
    ref = standard.current.photos.get()
    thumb = reverse("core:photo_thumbnail", args=[ref.photo.public_id])
    strip = page[page.index('data-testid="my-photos"') :]
    # The photo comes before the first standard's text, linked to its card.
    assert strip.index(thumb) < strip.index('data-testid="my-standard"')
    assert f'href="#standard-{standard.pk}"' in strip
    assert client.get(thumb).status_code == 200


def test_staff_cannot_open_the_acknowledgement_list(client, hall):
    standard = published(hall)
    f.signed_in(client, hall["clerk"])
    url = reverse("standards:progress", args=[standard.public_id])
    assert client.get(url).status_code == 403


def test_reference_photos_are_readable_by_everyone_in_the_center(client, hall):
    standard = published(hall)
    photo = standard.current.photos.get().photo
    f.signed_in(client, hall["clerk"])
    assert client.get(reverse("core:photo", args=[photo.public_id])).status_code == 200
    outsider = f.person(f.center("他中心"), username="outsider")
    f.grant(outsider, "inspector")
    f.signed_in(client, outsider)
    assert client.get(reverse("core:photo", args=[photo.public_id])).status_code == 404


def test_library_lists_drafts_only_to_editors(client, hall):
    shown = published(hall)
    services.standard_create(
        actor=hall["inspector"],
        center=hall["center"],
        code="S-9-02",
        body="开关",
        title="开关插座标识",
        domain="safety",
        chapter="09",
    )
    f.signed_in(client, hall["clerk"])
    page = client.get(reverse("standards:library")).content.decode()
    assert shown.title in page and "开关插座标识" not in page
    f.signed_in(client, hall["inspector"])
    assert "开关插座标识" in client.get(reverse("standards:library")).content.decode()


def test_a_draft_with_a_bad_season_is_refused_with_the_field_named(client, hall):
    f.signed_in(client, hall["inspector"])
    response = client.post(
        reverse("standards:create"),
        {
            "code": "D1",
            "title": "夏装",
            "domain": "service",
            "chapter": "05.1",
            "season_from": "05-01",
            "season_to": "",
            "body": "着装",
        },
    )
    assert 'data-field="season_to"' in response.content.decode()


@pytest.mark.parametrize(
    "url_name", ["standards:library", "standards:mine", "standards:progress_overview"]
)
def test_standards_pages_use_the_same_number_of_queries_for_n_and_5n(
    client, hall, url_name
):
    f.signed_in(client, hall["director"])
    for i in range(2):
        published(hall, code=f"A{i}", title=f"标准{i}")
    small = queries(client, reverse(url_name))
    for i in range(2, 10):
        published(hall, code=f"A{i}", title=f"标准{i}")
    assert queries(client, reverse(url_name)) == small


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.pdftotext
@pytest.mark.parametrize("size", ["a4", "a5"])
def test_standard_card_prints_title_photo_and_qr(client, hall, tmp_path, size):
    standard = published(hall)
    f.signed_in(client, hall["clerk"])
    response = client.get(reverse("standards:card", args=[standard.public_id, size]))
    text = pdf_text(tmp_path, response.content)
    assert "窗口桌面标准" in text and "桌面仅摆放定置物品" in text
    assert "扫码查看" in text
    images = (
        subprocess.run(
            ["pdfimages", "-list", str(tmp_path / "doc.pdf")],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    assert len(images) - 2 >= 2  # the reference photo and the QR code


@pytest.mark.pdftotext
def test_manual_compiles_published_standards_with_contents(client, hall, tmp_path):
    published(hall)
    published(hall, code="S-10-01", title="档案盒线条标识法", chapter="10", photo=False)
    f.signed_in(client, hall["clerk"])
    response = client.get(reverse("standards:manual", args=["resources"]))
    text = pdf_text(tmp_path, response.content)
    assert "现场资源管理手册" in text and "目录" in text
    contents = text[text.index("目录") :]
    assert contents.index("窗口桌面标准") < contents.index("档案盒线条标识法")


def test_acknowledging_never_redirects_off_site(client, hall):
    standard = published(hall)
    f.signed_in(client, hall["clerk"])
    response = client.post(
        reverse("standards:acknowledge", args=[standard.current.public_id]),
        {"next": "//evil.example.com/"},
    )
    assert response["Location"] == standard.get_absolute_url()


def test_the_director_finds_a_draft_on_the_standard_and_publishes_it(client, hall):
    standard = published(hall)
    draft = services.version_draft(actor=hall["inspector"], standard=standard)
    services.version_update(
        actor=hall["inspector"],
        version=draft,
        body="桌面只放电脑与评价器。",
        change_note="减少桌面物品",
    )
    f.signed_in(client, hall["director"])
    detail = client.get(standard.get_absolute_url()).content.decode()
    version_url = reverse("standards:version_edit", args=[draft.public_id])
    assert 'data-testid="draft-waiting"' in detail and version_url in detail
    page = client.get(version_url)
    assert page.status_code == 200
    html = page.content.decode()
    # The director reads the draft and publishes it; editing stays the writer's.
    assert "桌面只放电脑与评价器。" in html and 'data-testid="publish-panel"' in html
    assert 'name="body"' not in html
    edit = client.post(version_url, {"body": "改写", "change_note": ""})
    assert edit.status_code == 403
    response = client.post(
        reverse("standards:publish", args=[draft.public_id]),
        {"effective_from": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    standard.refresh_from_db()
    assert standard.current_id == draft.pk
    assert client.get(version_url)["Location"] == standard.get_absolute_url()


def test_the_publisher_sees_standards_with_drafts_waiting(client, hall):
    published(hall)
    services.standard_create(
        actor=hall["inspector"],
        center=hall["center"],
        code="S-9-02",
        body="开关",
        title="开关插座标识",
        domain="safety",
        chapter="09",
    )
    f.signed_in(client, hall["director"])
    drafts = client.get(reverse("standards:library") + "?state=draft").content.decode()
    assert "开关插座标识" in drafts and "窗口桌面标准" not in drafts
    f.signed_in(client, hall["clerk"])
    drafts = client.get(reverse("standards:library") + "?state=draft").content.decode()
    assert "开关插座标识" not in drafts
    draft = Standard.objects.get(code="S-9-02").versions.get()
    url = reverse("standards:version_edit", args=[draft.public_id])
    assert client.get(url).status_code == 403


def test_the_publish_form_offers_today_as_the_effective_date(client, hall):
    standard = published(hall)
    draft = services.version_draft(actor=hall["inspector"], standard=standard)
    f.signed_in(client, hall["director"])
    page = client.get(reverse("standards:version_edit", args=[draft.public_id]))
    today = timezone.localdate().isoformat()
    assert f'name="effective_from" value="{today}"' in page.content.decode()
