"""Roster import: everything or nothing, every bad row named, idempotent."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from gembahall.accounts.models import User
from gembahall.core.models import Event, Job
from gembahall.org.models import Department, Person, RoleAssignment, Unit
from gembahall.org.roster import import_roster
from tests import factories as f

HEADER = [
    "工号",
    "姓名",
    "单位类型",
    "进驻部门",
    "单位名称",
    "窗口编号",
    "功能区",
    "职务",
    "是否负责人",
    "手机",
    "角色",
    "账号",
]


def row(n: int, **over) -> list[str]:
    values = {
        "工号": f"R{n:04d}",
        "姓名": f"员工{n}",
        "单位类型": "窗口",
        "进驻部门": f"部门{n % 4}",
        "单位名称": "",
        "窗口编号": f"A{n % 12 + 1:02d}",
        "功能区": "窗口区A",
        "职务": "窗口工作人员",
        "是否负责人": "否",
        "手机": f"139{n:08d}",
        "角色": "工作人员",
        "账号": "",
    }
    values.update(over)
    return [values[h] for h in HEADER]


def roster(tmp_path, rows, name="roster.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


@pytest.fixture
def admin(db):
    c = f.center(code="hall")
    p = f.person(c, username="sys")
    f.grant(p, "sysadmin")
    return p


def counts():
    return (
        Person.objects.count(),
        Unit.objects.count(),
        Department.objects.count(),
        RoleAssignment.objects.count(),
        Event.objects.count(),
        User.objects.count(),
    )


def test_one_bad_last_row_after_a_full_batch_writes_nothing(admin, tmp_path, settings):
    settings.IMPORT_BATCH_SIZE = 10
    rows = [row(n) for n in range(1, 26)] + [row(26, 手机="12345")]
    before = counts()
    report = import_roster(
        actor=admin, center=admin.center, path=roster(tmp_path, rows)
    )
    assert counts() == before
    assert [(e.row, e.column) for e in report.errors] == [(27, "phone")]


def test_every_bad_row_is_reported_with_row_and_column(admin, tmp_path):
    rows = [
        row(1),
        row(2, 姓名=""),
        row(3, 窗口编号="AB1"),
        row(4, 角色="主任"),
        row(5, 工号="R0001"),
    ]
    report = import_roster(
        actor=admin, center=admin.center, path=roster(tmp_path, rows)
    )
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "name"),
        (4, "window_code"),
        (5, "roles"),
        (6, "staff_number"),
    }


def test_a_good_roster_imports_units_people_roles_and_accounts(admin, tmp_path):
    rows = [row(n) for n in range(1, 13)] + [
        row(13, 角色="窗口负责人、联络员", 是否负责人="是", 账号="zhang13"),
        row(
            14,
            单位类型="科室",
            进驻部门="",
            单位名称="考核督查科",
            窗口编号="",
            功能区="",
            角色="",
        ),
    ]
    report = import_roster(
        actor=admin, center=admin.center, path=roster(tmp_path, rows)
    )
    assert report.errors == []
    c = admin.center
    assert Person.objects.filter(center=c).count() == 15
    assert Unit.objects.filter(center=c, kind="window").count() == 12
    assert Unit.objects.filter(center=c, kind="zone", name="窗口区A").exists()
    assert Department.objects.filter(center=c).count() == 4
    p13 = Person.objects.get(staff_number="R0013")
    assert p13.user.username == "zhang13" and not p13.user.has_usable_password()
    assert p13.user.password_temporary
    assert set(p13.roles.values_list("role", flat=True)) == {"window_head", "liaison"}
    assert Person.objects.get(staff_number="R0014").unit.kind == "office"
    assert Event.objects.filter(action="person.create").count() == 14


def test_reimporting_the_same_roster_changes_nothing(admin, tmp_path):
    path = roster(tmp_path, [row(n) for n in range(1, 8)])
    import_roster(actor=admin, center=admin.center, path=path)
    before = counts()
    stamps = list(Person.objects.order_by("pk").values_list("updated_at", flat=True))
    report = import_roster(actor=admin, center=admin.center, path=path)
    assert report.updated == 0 and report.unchanged == 7
    assert counts()[:4] == before[:4] and counts()[5] == before[5]
    assert (
        list(Person.objects.order_by("pk").values_list("updated_at", flat=True))
        == stamps
    )
    assert not Event.objects.filter(action="person.update").exists()


def test_reimport_updates_people_by_staff_number(admin, tmp_path):
    import_roster(
        actor=admin, center=admin.center, path=roster(tmp_path, [row(1), row(2)])
    )
    changed = roster(tmp_path, [row(1, 职务="窗口负责人"), row(2)], "changed.xlsx")
    report = import_roster(actor=admin, center=admin.center, path=changed)
    assert report.updated == 1
    assert Person.objects.get(staff_number="R0001").title == "窗口负责人"
    assert Person.objects.count() == 3


def test_two_liaisons_for_one_window_are_rejected(admin, tmp_path):
    rows = [
        row(1, 窗口编号="A01", 角色="联络员"),
        row(2, 窗口编号="A01", 角色="联络员"),
    ]
    report = import_roster(
        actor=admin, center=admin.center, path=roster(tmp_path, rows)
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "roles")]


def test_command_imports_and_rejects(admin, tmp_path, capsys):
    good = roster(tmp_path, [row(1)])
    call_command("import_org", str(good), "--center", "hall")
    assert Person.objects.filter(staff_number="R0001").exists()
    bad = roster(tmp_path, [row(2, 是否负责人="也许")], "bad.xlsx")
    with pytest.raises(CommandError):
        call_command("import_org", str(bad), "--center", "hall")
    assert "is_leader" in capsys.readouterr().err


def test_a_file_that_is_not_excel_is_refused_clearly(admin, tmp_path):
    from gembahall.core.imports import FileRejected as RosterError

    path = tmp_path / "x.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(RosterError):
        import_roster(actor=admin, center=admin.center, path=path)


def test_upload_page_previews_then_imports(
    client, admin, tmp_path, django_capture_on_commit_callbacks
):
    f.signed_in(client, admin)
    path = roster(tmp_path, [row(1), row(2)])
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        response = client.post(reverse("org:import"), {"file": fh})
    preview = Job.objects.get()
    assert response["Location"] == reverse("org:import_job", args=[preview.public_id])
    assert preview.state == "done" and preview.params["dry_run"]
    assert not Person.objects.filter(staff_number="R0001").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("org:import_confirm", args=[preview.public_id]))
    assert Person.objects.filter(staff_number__in=["R0001", "R0002"]).count() == 2
    done = Job.objects.exclude(pk=preview.pk).get()
    page = client.get(reverse("org:import_job", args=[done.public_id]))
    assert page.status_code == 200 and done.percent == 100


def test_upload_page_lists_bad_rows(
    client, admin, tmp_path, django_capture_on_commit_callbacks
):
    f.signed_in(client, admin)
    path = roster(tmp_path, [row(1), row(2, 手机="555")])
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        client.post(reverse("org:import"), {"file": fh})
    job = Job.objects.get()
    page = client.get(reverse("org:import_job", args=[job.public_id])).content.decode()
    assert job.state == "failed"
    assert "<td>3</td>" in page and "phone" in page


def test_the_documented_sample_roster_imports_cleanly(admin, settings):
    from pathlib import Path

    sample = Path(settings.BASE_DIR) / "docs" / "roster-sample.xlsx"
    report = import_roster(actor=admin, center=admin.center, path=sample)
    assert report.errors == []
    assert Person.objects.filter(center=admin.center).count() == 8
    assert Unit.objects.filter(
        center=admin.center, kind="intermediary", code="C01"
    ).exists()


def test_upload_page_explains_every_column_the_importer_reads(client, admin):
    """The page itself is the guide: no pointer to a document it cannot open."""
    from gembahall.org.roster import HEADERS

    f.signed_in(client, admin)
    page = client.get(reverse("org:import")).content.decode()
    table = page[page.index('data-testid="roster-columns"') :]
    for header in HEADERS.values():
        assert f'<td class="text-nowrap">{header}</td>' in table
    assert "中心内唯一" in table and "导入指南" not in page


def test_a_last_row_failing_a_database_check_leaves_no_trace(admin, tmp_path, settings):
    """The rows are all well formed; the last names an account another person
    holds, which only the database knows. Nothing of the file is written:
    no department, unit, person, role, account or audit event."""
    settings.IMPORT_BATCH_SIZE = 4
    other = f.person(admin.center, username="taken")
    rows = [row(n, 角色="窗口负责人", 账号=f"user{n}") for n in range(1, 12)]
    rows.append(row(12, 账号="taken"))
    before = counts()
    report = import_roster(
        actor=admin, center=admin.center, path=roster(tmp_path, rows)
    )
    assert [(e.row, e.column, e.header) for e in report.errors] == [
        (13, "username", "账号")
    ]
    assert counts() == before
    assert not Person.objects.filter(staff_number__startswith="R").exists()
    assert not Event.objects.filter(action__in=["org.import", "person.create"])
    assert other.user.username == "taken"
