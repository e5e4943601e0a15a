"""The audit trail is append-only, in code and in the database."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from gembahall.core.audit import event_record
from gembahall.core.models import AppendOnlyError, Event
from tests import factories as f


@pytest.fixture
def event(db):
    return event_record(actor=None, action="test.action", target_repr="x")


def test_events_cannot_be_changed_or_deleted_through_the_orm(event):
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL's")
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
    client.force_login(auditor.user)
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


def test_auditor_filters_events(client, db):
    c = f.center()
    auditor = f.person(c, username="auditor")
    f.grant(auditor, "auditor")
    event_record(actor=auditor, action="unit.create", target_repr="A01", center_id=c.pk)
    event_record(
        actor=auditor, action="person.update", target_repr="张三", center_id=c.pk
    )
    client.force_login(auditor.user)
    page = client.get(reverse("core:audit"), {"action": "unit"})
    assert [e.action for e in page.context["page"]] == ["unit.create"]


def test_events_of_other_centers_stay_hidden(client, db):
    a, b = f.center(), f.center()
    auditor = f.person(a, username="auditor")
    f.grant(auditor, "auditor")
    event_record(actor=None, action="secret.b", target_repr="b", center_id=b.pk)
    client.force_login(auditor.user)
    page = client.get(reverse("core:audit"))
    assert "secret.b" not in page.content.decode()
