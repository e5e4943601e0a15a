"""三员分立: the three administrators exclude each other and every business
role, act on no account but their own duty allows, read no business record;
and a self-report stays on the reporter's own units."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gembahall.org import services
from gembahall.org.models import Person, RoleAssignment
from gembahall.org.roster import import_roster
from gembahall.rectification.models import Problem
from gembahall.standards.models import Acknowledgement
from tests import factories as f
from tests.org.test_roster import roster, row
from tests.rectification.conftest import photo


@pytest.fixture
def hall(hall):
    hall.add("sys", "sysadmin", username="hall-sys")
    hall.add("sec", "security_admin", username="hall-sec")
    hall.add("aud", "auditor", username="hall-aud")
    return hall


# H1 -----------------------------------------------------------------------


def test_sysadmin_cannot_reset_the_other_administrators_passwords(client, hall):
    f.signed_in(client, hall.sys)
    for target in (hall.sec, hall.aud):
        url = reverse("org:account_create", args=[target.public_id])
        response = client.post(url, {"password": "Another-Secret-2026!"})
        assert response.status_code == 404
        target.user.refresh_from_db()
        assert target.user.check_password(f.PASSWORD)
    page = client.get(reverse("org:person_detail", args=[hall.aud.public_id]))
    assert reverse("org:account_create", args=[hall.aud.public_id]) not in (
        page.content.decode()
    )


def test_only_the_security_admin_sets_an_administrators_password(client, hall):
    f.signed_in(client, hall.sec)
    url = reverse("org:account_create", args=[hall.aud.public_id])
    assert client.post(url, {"password": "Another-Secret-2026!"}).status_code == 302
    hall.aud.user.refresh_from_db()
    assert hall.aud.user.check_password("Another-Secret-2026!")
    # Never their own, and never a business account (the sysadmin's duty).
    own = reverse("org:account_create", args=[hall.sec.public_id])
    assert client.post(own, {"password": "Another-Secret-2026!"}).status_code == 404
    clerk = reverse("org:account_create", args=[hall.clerk.public_id])
    assert client.post(clerk, {"password": "Another-Secret-2026!"}).status_code == 404
    f.signed_in(client, hall.sys)
    assert client.post(clerk, {"password": "Another-Secret-2026!"}).status_code == 302


# H2 -----------------------------------------------------------------------


def test_roster_import_grants_the_importer_no_role_and_no_admin_role(hall, tmp_path):
    rows = [
        row(1, 工号=hall.sys.staff_number, 角色="窗口负责人", 窗口编号="A01"),
        row(2, 角色="审计管理员"),
        row(3, 工号=hall.sec.staff_number, 角色="工作人员"),
        row(4),
    ]
    before = RoleAssignment.objects.count()
    report = import_roster(
        actor=hall.sys, center=hall.center, path=roster(tmp_path, rows)
    )
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "roles"),
        (3, "roles"),
        (4, "roles"),
    }
    assert "三员角色" in " ".join(e.message for e in report.errors)
    assert RoleAssignment.objects.count() == before
    assert not Person.objects.filter(staff_number="R0004").exists()


# M1 -----------------------------------------------------------------------


def test_security_admin_cannot_stack_admin_roles_on_one_person(client, hall):
    f.signed_in(client, hall.sec)
    url = reverse("org:role_assign", args=[hall.sys.public_id])
    page = client.post(url, {"role": "auditor"}).content.decode()
    assert 'data-field="role"' in page and "审计管理员" in page
    assert not hall.sys.roles.filter(role="auditor").exists()
    f.signed_in(client, hall.sys)
    assert client.get(reverse("core:audit")).status_code == 403


def test_an_admin_role_and_a_business_role_exclude_each_other(hall):
    with pytest.raises(ValidationError) as error:
        services.role_assign(actor=hall.sec, person=hall.clerk, role="sysadmin")
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=hall.sec, person=hall.aud, role="staff", unit=hall.a01
        )


@pytest.mark.parametrize(
    "role,unit", [("auditor", False), ("staff", True), ("sysadmin", False)]
)
def test_the_database_refuses_a_second_role_beside_an_admin_role(hall, role, unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            center=hall.center,
            person=hall.sys,
            role=role,
            unit=hall.a01 if unit else None,
        )


def test_the_database_refuses_an_admin_role_beside_a_business_role(hall):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            center=hall.center, person=hall.clerk, role="auditor"
        )
    # An ended role is history, and no conflict.
    hall.clerk.roles.update(valid_to="2026-01-01T00:00Z")
    RoleAssignment.objects.create(center=hall.center, person=hall.clerk, role="auditor")


# M5 -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sys", "sec", "aud"])
def test_administrators_read_no_problem_inspection_or_photo(client, hall, who):
    problem = f.problem(hall.a01)
    inspection = f.inspection(hall.a01)
    picture = f.photo(hall.center, hall.a01)
    f.signed_in(client, hall[who])
    for url in (
        reverse("rectification:problems"),
        reverse("rectification:problem", args=[problem.public_id]),
        reverse("inspections:inspection", args=[inspection.public_id]),
        reverse("core:photo", args=[picture.public_id]),
        reverse("core:photo_thumbnail", args=[picture.public_id]),
    ):
        assert client.get(url).status_code in (403, 404), url
    api = client.get("/api/v1/problems")
    assert api.status_code == 403 and "桌面杂乱" not in api.content.decode()
    assert not Problem.objects.visible_to(hall[who]).exists()


def test_sysadmin_sees_phone_numbers_masked_and_the_office_loads_records(client, hall):
    f.signed_in(client, hall.sys)
    people = client.get(reverse("org:people")).content.decode()
    assert "138****5678" in people and "13812345678" not in people
    edit = reverse("org:person_edit", args=[hall.clerk.public_id])
    assert "13812345678" not in client.get(edit).content.decode()
    for name in ("casework:import", "casework:catalogue_import", "ratings:cards"):
        assert client.get(reverse(name)).status_code == 403, name
    f.signed_in(client, hall.inspector)
    for name in ("casework:import", "casework:catalogue_import"):
        assert client.get(reverse(name)).status_code == 200, name


def test_sysadmin_saving_a_person_keeps_the_phone_it_cannot_see(client, hall):
    f.signed_in(client, hall.sys)
    edit = reverse("org:person_edit", args=[hall.clerk.public_id])
    response = client.post(
        edit, {"name": "新名字", "staff_number": hall.clerk.staff_number}
    )
    assert response.status_code == 302
    hall.clerk.refresh_from_db()
    assert (hall.clerk.name, hall.clerk.phone) == ("新名字", "13812345678")


# L6 -----------------------------------------------------------------------


def test_auditor_cannot_acknowledge_a_standard(client, hall):
    standard = f.standard(hall.center)
    f.signed_in(client, hall.aud)
    url = reverse("standards:acknowledge", args=[standard.current.public_id])
    assert client.post(url).status_code == 403
    assert not Acknowledgement.objects.exists()
    assert client.get(reverse("core:audit")).status_code == 200


# L5 -----------------------------------------------------------------------


def _report(client, unit, source="self_report", severity="serious"):
    return client.post(
        reverse("rectification:report"),
        {
            "unit": unit.pk,
            "description": "地面有水",
            "severity": severity,
            "source": source,
            "photos": [photo()],
        },
    )


def test_self_report_only_for_the_reporters_own_units(client, hall):
    sub = f.center("分中心", parent=hall.center, kind="sub")
    sub_window = f.unit(sub)
    f.signed_in(client, hall.clerk)
    for unit in (hall.a02, sub_window):
        response = _report(client, unit)
        assert response.status_code == 200
        assert 'data-field="unit"' in response.content.decode()
        response = _report(client, unit, source="spot")
        assert 'data-field="unit"' in response.content.decode()
    assert not Problem.objects.exists()
    form = client.get(reverse("rectification:report")).content.decode()
    assert hall.a02.name not in form
    assert _report(client, hall.a01).status_code == 302
    problem = Problem.objects.get()
    assert (problem.unit, problem.source) == (hall.a01, "self_report")


def test_findings_elsewhere_go_to_the_osm_office_and_guides_report_zones(client, hall):
    office = f.unit(hall.center, kind="office", name="考核督查科")
    office.is_osm_office = True
    office.save()
    zone = f.unit(hall.center, kind="zone", name="导办区")
    guide = hall.add("guide", "guide", unit=zone)
    f.signed_in(client, hall.clerk)
    assert 'data-field="unit"' in _report(client, zone, "spot").content.decode()
    assert 'data-field="source"' in _report(client, office).content.decode()
    assert _report(client, office, "spot").status_code == 302
    f.signed_in(client, guide)
    other_zone = f.unit(hall.center, kind="zone", name="等候区")
    assert _report(client, other_zone, "spot").status_code == 302
    assert 'data-field="unit"' in _report(client, hall.a01, "spot").content.decode()
    assert sorted(Problem.objects.values_list("unit__name", flat=True)) == sorted(
        ["考核督查科", "等候区"]
    )
