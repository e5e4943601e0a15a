"""The audit trail cannot be altered or lost unnoticed: each center's events
form a keyed hash chain that `audit-verify` proves, the database refuses
changes on SQLite and PostgreSQL alike, and events past the retention move
to a signed archive instead of disappearing."""

import io
import json
import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from gembahall.core.audit import event_record
from gembahall.core.audit_sql import SQLITE_CREATE, SQLITE_DROP
from gembahall.core.models import Event, EventArchive
from gembahall.core.periodic import tick
from tests import factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")
PG_TRIGGER = "pgtrigger_event_append_only_f8a4c"


def intruder(sql: str, params=()) -> None:
    """Raw SQL as someone with the database file or password would run it:
    first past the append-only trigger, inside the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE core_event DISABLE TRIGGER {PG_TRIGGER}")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE core_event ENABLE TRIGGER {PG_TRIGGER}")
        else:
            for statement in SQLITE_DROP:
                cursor.execute(statement)
            cursor.execute(sql, params)
            for statement in SQLITE_CREATE:
                cursor.execute(statement)


def verify(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def trail(db):
    a = f.center(name="甲中心", code="jia")
    b = f.center(name="乙中心", code="yi")
    clerk = f.person(a, name="王五")
    events = {
        "a": [
            event_record(actor=clerk, action="unit.create", target=f.unit(a))
            for _ in range(4)
        ],
        "b": [event_record(actor=None, action="unit.create", center_id=b.pk)],
    }
    return {"a": a, "b": b, "events": events}


@pytest.mark.parametrize(
    "sql", ["UPDATE core_event SET action = 'tampered'", "DELETE FROM core_event"]
)
def test_the_database_refuses_raw_changes_on_every_backend(trail, sql):
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert Event.objects.filter(action="unit.create").count() == 5


def test_each_event_carries_the_hash_of_its_centers_previous_event(trail):
    a_events = trail["events"]["a"]
    assert a_events[0].prev_hash == ""
    for before, event in zip(a_events, a_events[1:], strict=False):
        assert event.prev_hash == before.hash and len(event.hash) == 64
    # The other center's chain starts on its own.
    assert trail["events"]["b"][0].prev_hash == ""


def test_audit_verify_proves_untouched_chains(trail):
    code, out, err = verify()
    assert code == 0 and err == ""
    assert "甲中心 (jia)：4 条事件，链完整。" in out and "乙中心 (yi)：1 条事件" in out


def test_audit_verify_names_an_event_altered_by_raw_sql(trail):
    altered = trail["events"]["a"][2]
    intruder(
        "UPDATE core_event SET actor_name = %s WHERE id = %s", ["李四", altered.pk]
    )
    code, out, err = verify()
    assert code == 1
    assert f"甲中心 (jia)：链在事件 {altered.pk} 处断开" in err
    assert "其前 2 条事件完好" in err
    # Only the altered center's chain is broken.
    assert "乙中心 (yi)：1 条事件" in out


def test_audit_verify_names_the_event_after_one_removed(trail):
    removed, following = trail["events"]["a"][1:3]
    intruder("DELETE FROM core_event WHERE id = %s", [removed.pk])
    code, _out, err = verify("--center", "jia")
    assert code == 1 and f"链在事件 {following.pk} 处断开" in err


def test_a_center_moved_onto_another_chain_is_caught(trail):
    moved = trail["events"]["b"][0]
    intruder(
        "UPDATE core_event SET center_id = %s WHERE id = %s",
        [trail["a"].pk, moved.pk],
    )
    code, _out, err = verify("--center", "jia")
    assert code == 1 and f"链在事件 {moved.pk} 处断开" in err


def test_many_events_written_at_once_are_chained_like_single_ones(db):
    c = f.center(code="bulk")
    units = [f.unit(c) for _ in range(3)]
    Event.objects.bulk_create(
        Event(center_id=c.pk, action="unit.create", target_repr=str(u)) for u in units
    )
    event_record(actor=None, action="unit.create", center_id=c.pk)
    assert verify("--center", "bulk")[0] == 0
    chain = list(Event.objects.filter(center_id=c.pk).order_by("id"))
    assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]


@pytest.fixture
def aged(db, settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "archive"
    c = f.center(name="甲中心", code="jia")
    with time_machine.travel(datetime(2026, 1, 5, 10, tzinfo=SHANGHAI)):
        old = [
            event_record(
                actor=None, action="unit.create", target_repr=f"A0{i}", center_id=c.pk
            )
            for i in range(3)
        ]
    with time_machine.travel(datetime(2026, 9, 1, 10, tzinfo=SHANGHAI)):
        young = event_record(
            actor=None, action="unit.create", target_repr="B01", center_id=c.pk
        )
    return {"center": c, "old": old, "young": young, "dir": tmp_path / "archive"}


def test_events_past_the_retention_are_archived_not_lost(aged):
    now = datetime(2026, 9, 2, 10, tzinfo=SHANGHAI)
    result = tick(now, only=["audit_archive"])["audit_archive"]
    assert result["archived"] == 3
    # Gone from the database, except the one within 180 days...
    assert list(Event.objects.values_list("target_repr", flat=True)) == ["B01"]
    # ...and every one of them in the archive file, whole.
    path = aged["dir"] / result["file"]
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    archived = [line for line in lines if line.get("action") == "unit.create"]
    assert [e["target_repr"] for e in archived] == ["A00", "A01", "A02"]
    assert [e["hash"] for e in archived] == [e.hash for e in aged["old"]]
    assert "hmac" in lines[-1]
    # The chain in the database goes on from the archive's last event.
    assert EventArchive.objects.get().last_hash == aged["old"][-1].hash
    assert verify("--center", "jia")[0] == 0
    code, out, _err = verify("--archive", str(path))
    assert code == 0 and "3 条事件，签名与链完整" in out
    # Nothing is due the next time the job runs.
    assert tick(now, only=["audit_archive"])["audit_archive"] == {"archived": 0}


def test_an_altered_archive_file_fails_verification(aged):
    now = datetime(2026, 9, 2, 10, tzinfo=SHANGHAI)
    result = tick(now, only=["audit_archive"])["audit_archive"]
    path = aged["dir"] / result["file"]
    path.write_text(path.read_text().replace("A01", "A09"))
    code, _out, err = verify("--archive", str(path))
    assert code == 1 and "签名与文件不符" in err


def test_events_within_the_retention_stay(aged):
    now = datetime(2026, 1, 5, 10, tzinfo=SHANGHAI) + timedelta(days=179)
    assert tick(now, only=["audit_archive"])["audit_archive"] == {"archived": 0}
    assert Event.objects.count() == 4
    assert not aged["dir"].exists()


def test_a_retention_under_180_days_is_refused(settings):
    from gembahall.core.checks import audit_retention_check

    settings.AUDIT_RETENTION_DAYS = 90
    assert [e.id for e in audit_retention_check(None)] == ["gembahall.E004"]


def test_events_are_forwarded_to_syslog_when_an_address_is_set(
    db, settings, django_capture_on_commit_callbacks
):
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(10)
    settings.AUDIT_SYSLOG_ADDRESS = f"udp://127.0.0.1:{server.getsockname()[1]}"
    c = f.center(code="fwd")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event = event_record(
                actor=None, action="unit.create", center_id=c.pk, target_repr="窗口A01"
            )
        datagram = server.recv(65535).decode()
    finally:
        server.close()
    assert datagram.startswith("<134>gembahall-audit: ")  # local0.info
    sent = json.loads(datagram.split(": ", 1)[1])
    assert sent["action"] == "unit.create" and sent["target_repr"] == "窗口A01"
    assert (sent["id"], sent["hash"]) == (event.pk, event.hash)


def test_nothing_is_forwarded_by_default(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        event_record(actor=None, action="unit.create", target_repr="x")
    assert callbacks == []


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaves_the_append_only_rule_in_place():
    """Its flush afterwards passes the triggers; the next test still has them."""
    event_record(actor=None, action="unit.create", target_repr="x")


def test_the_rule_is_back_after_the_flush(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=trail["events"]["a"][0].pk).update(action="x")
