"""The audit table's append-only rule in each database, in one place.

PostgreSQL: django-pgtrigger's `event_append_only` (declared on the model)
refuses UPDATE and DELETE. SQLite: two triggers created by a migration do
the same. The one sanctioned way past them is `unlocked()`, used by the
archive (after the events are safely in a signed file) and by the tests that
play an intruder; it lasts for the current transaction only.
"""

from contextlib import contextmanager

import pgtrigger
from django.db import connection, connections, transaction

MESSAGE = "audit events are append-only"
SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS core_event_no_update BEFORE UPDATE ON core_event
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_event_no_delete BEFORE DELETE ON core_event
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_event_no_update",
    "DROP TRIGGER IF EXISTS core_event_no_delete",
]
PG_TRIGGER = "core.Event:event_append_only"


def create_sqlite_triggers(apps=None, schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            for sql in SQLITE_CREATE:
                cursor.execute(sql)


def drop_sqlite_triggers(apps=None, schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            for sql in SQLITE_DROP:
                cursor.execute(sql)


def ensure_sqlite_triggers(*, using="default", **kwargs) -> None:
    conn = connections[using]
    if conn.vendor == "sqlite" and "core_event" in conn.introspection.table_names():
        with conn.cursor() as cursor:
            for sql in SQLITE_CREATE:
                cursor.execute(sql)


@contextmanager
def unlocked():
    """Let this transaction change or remove audit events. On SQLite the
    triggers are dropped and re-created inside the transaction, so no other
    connection ever sees them missing; on PostgreSQL pgtrigger's ignore
    applies to this connection's statements only."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with pgtrigger.ignore(PG_TRIGGER):
                yield
        else:
            drop_sqlite_triggers()
            try:
                yield
            finally:
                create_sqlite_triggers()
