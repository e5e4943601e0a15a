"""The audit trail is append-only, in code and in the database; an auditor
reads it in words, filters it and exports it."""

import ast
import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

import gembahall
from gembahall.casework.models import Source
from gembahall.core.actions import ACTION_LABELS
from gembahall.core.audit import event_record
from gembahall.core.models import AppendOnlyError, Event
from gembahall.rectification.models import Reminder
from tests import factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def event(db):
    return event_record(actor=None, action="test.action", target_repr="x")


def test_events_cannot_be_changed_or_deleted_through_the_orm(event):
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql", ["UPDATE core_event SET action = 'tampered'", "DELETE FROM core_event"]
)
def test_database_rejects_raw_update_and_delete(event, sql):
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert Event.objects.get(pk=event.pk).action == "test.action"


def test_no_page_changes_events(client, event):
    c = f.center()
    auditor = f.person(c, username="auditor")
    f.grant(auditor, "auditor")
    f.signed_in(client, auditor)
    url = reverse("core:audit")
    assert client.post(url, {"action": "x"}).status_code == 405
    assert client.delete(url).status_code == 405
    assert Event.objects.get(pk=event.pk).action == "test.action"


def test_changes_write_their_event_in_the_same_transaction(db):
    from gembahall.org import services

    c = f.center()
    admin = f.person(c, username="sys")
    f.grant(admin, "sysadmin")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.person_create(actor=admin, center=c, name="李四", staff_number="X1")
        raise RuntimeError("fail after the change")
    assert not Event.objects.filter(action="person.create").exists()


@pytest.fixture
def trail(db):
    c = f.center()
    auditor = f.person(c, username="auditor", name="审计员")
    f.grant(auditor, "auditor")
    clerk = f.person(c, username="clerk", name="王五")
    f.grant(clerk, "staff")
    with time_machine.travel(datetime(2026, 10, 5, 10, tzinfo=SHANGHAI)):
        event_record(actor=clerk, action="auth.sign_in", center_id=c.pk)
    with time_machine.travel(datetime(2026, 11, 5, 10, tzinfo=SHANGHAI)):
        event_record(actor=clerk, action="auth.sign_in", center_id=c.pk)
        event_record(
            actor=clerk, action="unit.create", target_repr="A01", center_id=c.pk
        )
        event_record(
            actor=auditor, action="auth.sign_in", target_repr="=1+2", center_id=c.pk
        )
        event_record(actor=None, action="problem.remind_overdue", center_id=c.pk)
    return {"center": c, "auditor": auditor, "clerk": clerk}


def test_the_trail_shows_actions_in_words_not_codes(client, trail):
    f.signed_in(client, trail["auditor"])
    page = client.get(reverse("core:audit")).content.decode()
    table = page[page.index('data-testid="audit-table"') :]
    assert "登录" in table and "新建单位" in table and "发送逾期提醒" in table
    assert ">auth.sign_in<" not in table
    # The filter offers the actions as a list in words, and the people.
    assert '<option value="auth.sign_in">登录</option>' in page
    assert f'<option value="{trail["clerk"].pk}">王五（clerk）</option>' in page
    # The trail's latest events on the auditor's home page read the same way.
    home = client.get(reverse("core:home")).content.decode()
    panel = home[home.index('data-testid="audit-panel"') :]
    assert "登录" in panel and "<code>auth.sign_in</code>" not in panel


def test_auditor_filters_by_action_person_and_days(client, trail):
    f.signed_in(client, trail["auditor"])
    clerk = trail["clerk"].pk

    def shown(**params):
        page = client.get(reverse("core:audit"), params).context["page"]
        return sorted((e.action, e.actor_id) for e in page)

    assert shown(action="auth.sign_in", actor=clerk) == [("auth.sign_in", clerk)] * 2
    assert shown(actor=clerk, since="2026-11-01", until="2026-11-30") == [
        ("auth.sign_in", clerk),
        ("unit.create", clerk),
    ]
    assert shown(actor="system") == [("problem.remind_overdue", None)]
    backwards = client.get(
        reverse("core:audit"), {"since": "2026-11-30", "until": "2026-11-01"}
    )
    assert "结束日期早于开始日期" in backwards.content.decode()


def test_the_export_holds_the_filtered_trail_as_text_and_is_itself_recorded(
    client, trail
):
    f.signed_in(client, trail["auditor"])
    response = client.get(
        reverse("core:audit_export"),
        {"action": "auth.sign_in", "since": "2026-11-01", "until": "2026-11-30"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]][:4] == ["时间", "人员", "操作", "操作代码"]
    body = [[c.value for c in row] for row in rows[1:]]
    assert sorted(r[1] for r in body) == ["审计员", "王五"]
    assert {r[2] for r in body} == {"登录"}
    # A target typed as a formula stays text: it must not run in Excel.
    formula = next(c for row in rows[1:] for c in row if c.value == "=1+2")
    assert formula.data_type == "s"
    export = Event.objects.get(action="audit.export")
    assert export.actor_id == trail["auditor"].pk
    assert export.after == {
        "filters": {
            "action": "auth.sign_in",
            "since": "2026-11-01",
            "until": "2026-11-30",
        },
        "rows": 2,
    }


def test_only_readers_of_the_trail_may_export_it(client, trail):
    f.signed_in(client, trail["clerk"])
    assert client.get(reverse("core:audit_export")).status_code in (403, 404)
    assert not Event.objects.filter(action="audit.export").exists()


# Actions built from a pattern, with every value the pattern takes.
PATTERNS = {
    "f'problem.remind_{kind}'": [f"problem.remind_{k}" for k in Reminder.Kind],
    "f'{self.kind}.import'": [f"{k}.import" for k in Source.Kind],
}
ACTION_CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Calls whose dotted-name arguments are permissions or other names, not actions.
NOT_ACTIONS = {
    "rule",
    "has_perm",
    "require",
    "grants_with",
    "centers_with",
    "center_paths",
    "unit_ids",
    "open",
    "read_text",
    "joinpath",
    "holders",
    "notify_holders",
}


def recorded_actions() -> set[str]:
    """Every action code the source records: the action= of each event, the
    dotted names handed to helpers that record one, and the patterns above."""
    found = set()
    for path in Path(gembahall.__file__).parent.rglob("*.py"):
        source = path.read_text()
        if "migrations" in path.parts or not re.search(
            r"event_record\(|Event\(", source
        ):
            continue
        tree = ast.parse(source)
        skipped = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                skipped.update(id(sub) for sub in ast.walk(node))
            if isinstance(node, ast.keyword) and node.arg == "action":
                if isinstance(node.value, ast.JoinedStr):
                    pattern = ast.unparse(node.value)
                    assert pattern in PATTERNS, f"{path}: add {pattern} to PATTERNS"
                    found.update(PATTERNS[pattern])
            elif isinstance(node, ast.keyword):
                skipped.update(id(sub) for sub in ast.walk(node.value))
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in NOT_ACTIONS:
                    skipped.update(id(sub) for sub in ast.walk(node))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and ACTION_CODE.match(node.value)
                and not node.value.endswith(".csv")
                and id(node) not in skipped
            ):
                found.add(node.value)
    return found


def test_every_action_the_code_records_has_a_label():
    actions = recorded_actions()
    assert {"auth.sign_in", "problem.verify", "tickets.import"} <= actions
    assert sorted(actions - set(ACTION_LABELS)) == []


def test_the_trail_page_reads_a_fixed_number_of_queries(client, trail):
    from tests.org.test_views import queries

    f.signed_in(client, trail["auditor"])
    url = reverse("core:audit")
    few = queries(client, url)
    for i in range(30):
        person = f.person(trail["center"], username=f"p{i}")
        event_record(actor=person, action="auth.sign_in", center_id=trail["center"].pk)
    assert queries(client, url) == few


def test_events_of_other_centers_stay_hidden(client, db):
    a, b = f.center(), f.center()
    auditor = f.person(a, username="auditor")
    f.grant(auditor, "auditor")
    event_record(actor=None, action="secret.b", target_repr="b", center_id=b.pk)
    event_record(actor=None, action="shown.a", target_repr="甲的记录", center_id=a.pk)
    f.signed_in(client, auditor)
    page = client.get(reverse("core:audit")).content.decode()
    assert "甲的记录" in page and "secret.b" not in page
