"""A real center from an empty database: the README's production steps through
the real commands and pages, up to an inspector's finalized inspection; and
`center-setup` run twice, as a dry run, and from a center's own files."""

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from gembahall.accounts.otp import secret_base32
from gembahall.casework.models import ServiceItem
from gembahall.core.models import Event, Photo
from gembahall.demo.otp import device_code
from gembahall.inspections.models import Checklist, ChecklistItem, Inspection
from gembahall.org.models import Center, Person, RoleAssignment, Unit
from gembahall.org.osm import osm_office_head
from gembahall.setup.services import center_content
from gembahall.standards.models import Standard, StandardVersion

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "docs" / "roster-sample.xlsx"
STARTER_CHECKLISTS = ROOT / "gembahall" / "inspections" / "content"
PASSWORD = "Gemba-Hall-2026!"


def _command(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def _person(name: str) -> Person:
    return Person.objects.get(name=name)


def _sign_in(client, username: str):
    """Through the sign-in page, as a person does, following where it leads: a
    director or an administrator gives the authenticator's code, setting it up
    the first time (the QR code's key is what the phone would scan); a
    temporary password is changed for the person's own."""
    client.logout()
    passwords = client.__dict__.setdefault("passwords", {})
    response = client.post(
        reverse("accounts:login"),
        {"username": username, "password": passwords.get(username, PASSWORD)},
    )
    assert response.status_code == 302, username
    url = response.url
    for _step in range(6):
        if url.startswith(reverse("accounts:otp_enrol")):
            page = client.get(url).content.decode()
            device = TOTPDevice.objects.get(user__username=username, confirmed=False)
            assert secret_base32(device) in page
            answer = client.post(url, {"token": device_code(device)})
            assert 'data-testid="recovery-codes"' in answer.content.decode()
            url = "/"
        elif url.startswith(reverse("accounts:otp_verify")):
            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            answer = client.post(url, {"token": device_code(device)})
            assert answer.status_code == 302, username
            url = answer.url
        elif url.startswith(reverse("accounts:password_change")) and (
            client.get(url).status_code == 200
        ):
            own = f"{PASSWORD}-{username}"
            changed = client.post(
                url,
                {"old_password": PASSWORD, "new_password1": own, "new_password2": own},
            )
            assert changed.status_code == 302, changed.content.decode()[:2000]
            passwords[username] = own
            url = changed.url
        else:
            answer = client.get(url)
            if answer.status_code != 302:
                break
            url = answer.url
    assert client.get("/").status_code == 200, username
    return client


@pytest.fixture
def installed(db, monkeypatch):
    """migrate (the test database) → createadmin ×3 --noinput → import-org."""
    monkeypatch.setenv("GEMBAHALL_ADMIN_PASSWORD", PASSWORD)
    _command(
        "createadmin",
        "sysadmin1",
        "--role",
        "sysadmin",
        "--center",
        "city",
        "--center-name",
        "示范市行政服务中心",
        "--noinput",
    )
    _command(
        "createadmin",
        "secadmin1",
        "--role",
        "security_admin",
        "--center",
        "city",
        "--noinput",
    )
    _command(
        "createadmin", "auditor1", "--role", "auditor", "--center", "city", "--noinput"
    )
    _command("import_org", str(ROSTER), "--center", "city")
    return Center.objects.get(code="city")


def _accounts_and_roles(client, center):
    """The sysadmin marks the OSM office and gives the office head and the
    director accounts; the security administrator grants their roles."""
    office = Unit.objects.get(center=center, name="考核督查科（OSM办公室）")
    _sign_in(client, "sysadmin1")
    response = client.post(
        reverse("org:unit_edit", args=[office.public_id]),
        {"kind": "office", "name": office.name, "is_osm_office": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    for name, username in (("李秀英", "lixiuying"), ("王建国", "wangjianguo")):
        response = client.post(
            reverse("org:account_create", args=[_person(name).public_id]),
            {"username": username, "password": PASSWORD},
        )
        assert response.status_code == 302
    _sign_in(client, "secadmin1")
    for name, role in (("李秀英", "inspector"), ("王建国", "director")):
        response = client.post(
            reverse("org:role_assign", args=[_person(name).public_id]),
            {"role": role, "unit": ""},
        )
        assert response.status_code == 302
    assert osm_office_head(center) == _person("李秀英")
    # Both administrators set up their authenticator at their first sign-in.
    enrolled = Event.objects.filter(action="otp.enrol").values_list(
        "target_repr", flat=True
    )
    assert set(enrolled) == {"sysadmin1", "secadmin1"}


def test_the_readme_steps_end_in_a_finalized_window_inspection(installed, client):
    center = installed
    _accounts_and_roles(client, center)
    inspector = _person("李秀英")
    assert set(inspector.roles.active().values_list("role", flat=True)) == {"inspector"}

    # Before setup the OSM office's home page offers to set the center up.
    _sign_in(client, "lixiuying")
    assert 'data-testid="setup-card"' in client.get("/").content.decode()

    out = _command("center_setup", "--center", "city", "--starter")
    assert "checklists: 4" in out
    setup = Event.objects.get(action="center.setup")
    assert setup.actor_id == inspector.pk
    assert 'data-testid="setup-card"' not in client.get("/").content.decode()

    # The inspector starts an ad hoc inspection of window A01 and finalizes it.
    window = Unit.objects.get(center=center, code="A01")
    checklist = Checklist.objects.get(center=center, code="WIN")
    response = client.post(
        reverse("inspections:start", args=["official"]),
        {"unit": window.pk, "checklist": checklist.pk},
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(unit=window)
    assert client.get(response.url).status_code == 200
    result = inspection.results.filter(item__photo_required=False).first()
    response = client.post(
        reverse("inspections:answer", args=[inspection.public_id, result.public_id]),
        {"outcome": "deduct", "occurrences": 1, "note": "抽屉物品未定位"},
    )
    assert response.status_code == 200
    for action in ("inspections:pass_remaining", "inspections:finalize"):
        response = client.post(reverse(action, args=[inspection.public_id]))
        assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.FINAL
    assert inspection.score == Decimal(100) - result.item.deduction
    assert inspection.inspector_id == inspector.pk


def test_the_director_publishes_the_loaded_standards_in_one_step(installed, client):
    center = installed
    _accounts_and_roles(client, center)
    _command("center_setup", "--center", "city", "--starter")
    drafts = StandardVersion.objects.filter(center=center, state="draft")
    assert drafts.count() == Standard.objects.filter(center=center).count() > 0
    _sign_in(client, "wangjianguo")
    assert 'data-testid="setup-card"' in client.get("/").content.decode()
    page = client.get(reverse("setup:first_run")).content.decode()
    assert 'data-testid="setup-drafts"' in page
    assert 'data-testid="setup-load"' not in page  # the OSM office loads
    assert client.post(reverse("setup:publish")).status_code == 302
    assert not drafts.exists()
    assert 'data-testid="setup-card"' not in client.get("/").content.decode()
    assert Event.objects.filter(action="standard.publish").count() == 28


def test_center_setup_twice_creates_nothing_twice(installed, client):
    center = installed
    _accounts_and_roles(client, center)
    _command(
        "center_setup", "--center", "city", "--starter", "--publish-as", "wangjianguo"
    )
    first = center_content(center)
    items = ChecklistItem.objects.filter(center=center).count()
    photos = Photo.objects.filter(center=center).count()
    assert first["checklists"] == 4 and first["standards"] == 28
    assert first["service_items"] > 0 and first["drafts"] == 0
    # An edit of the center's own survives a second run.
    item = ServiceItem.objects.filter(center=center).first()
    item.promised_days = 0
    item.save()
    out = _command("center_setup", "--center", "city", "--starter")
    assert "checklists: 0" in out and "standards: 0" in out
    assert "service items: 0" in out
    assert center_content(center) == first
    assert ChecklistItem.objects.filter(center=center).count() == items
    assert Photo.objects.filter(center=center).count() == photos
    item.refresh_from_db()
    assert item.promised_days == 0


def test_a_dry_run_writes_nothing(installed, client, settings):
    center = installed
    _accounts_and_roles(client, center)
    events = Event.objects.count()
    out = _command("center_setup", "--center", "city", "--starter", "--dry-run")
    assert "Dry run, nothing was written" in out
    assert "checklists: 4" in out and "standards: 28" in out
    assert center_content(center) == {
        "checklists": 0,
        "standards": 0,
        "drafts": 0,
        "service_items": 0,
    }
    assert Photo.objects.count() == 0
    assert Event.objects.count() == events
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_centers_own_checklist_file_loads_from_a_directory(
    installed, client, tmp_path
):
    center = installed
    _accounts_and_roles(client, center)
    own = tmp_path / "own"
    own.mkdir()
    rows = (STARTER_CHECKLISTS / "window.csv").read_text(encoding="utf-8")
    header, first, second, *_rest = rows.splitlines()
    (own / "window.csv").write_text(
        "\n".join([header, first, second.replace("本中心", "本窗口")]) + "\n",
        encoding="utf-8",
    )
    out = _command("center_setup", "--center", "city", "--from-dir", str(own))
    assert "checklists: 1" in out and "standards: 0" in out
    checklist = Checklist.objects.get(center=center)
    assert checklist.code == "WIN" and checklist.items.count() == 2
    assert not ServiceItem.objects.filter(center=center).exists()


def test_a_bad_row_in_a_centers_file_loads_nothing(installed, client, tmp_path):
    center = installed
    _accounts_and_roles(client, center)
    shutil.copy(STARTER_CHECKLISTS / "office.csv", tmp_path / "office.csv")
    rows = (STARTER_CHECKLISTS / "window.csv").read_text(encoding="utf-8")
    (tmp_path / "window.csv").write_text(
        rows.replace("看现场", "随便看看", 1), encoding="utf-8"
    )
    with pytest.raises(Exception, match="window.csv"):
        _command("center_setup", "--center", "city", "--from-dir", str(tmp_path))
    assert not Checklist.objects.filter(center=center).exists()


def test_without_an_inspector_the_command_says_who_is_missing(installed):
    with pytest.raises(Exception, match="inspector"):
        _command("center_setup", "--center", "city", "--starter")
    assert not RoleAssignment.objects.filter(role="inspector").exists()
