"""A copy of the whole test database, taken once and put back before a test.

Browser tests share one demo: it is built once per test process, copied, and
each test starts from the copy, so what one test writes no other test sees.
On SQLite the copy is an in-memory database made with SQLite's backup API;
on PostgreSQL it is every table's rows in COPY's binary form.
"""

import sqlite3
from collections.abc import Callable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


def snapshot_take() -> Callable[[], None]:
    """Copy the database as it is now; the returned function puts it back."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        restore = _sqlite_take()
    elif connection.vendor == "postgresql":
        restore = _postgres_take()
    else:  # pragma: no cover - the product runs on SQLite or PostgreSQL
        raise NotImplementedError(connection.vendor)

    def put_back() -> None:
        connection.ensure_connection()
        restore()
        ContentType.objects.clear_cache()

    return put_back


def _sqlite_take() -> Callable[[], None]:
    copy = sqlite3.connect(":memory:")
    connection.connection.backup(copy)

    def restore() -> None:
        copy.backup(connection.connection)

    return restore


def _tables() -> list[str]:
    return connection.introspection.django_table_names(
        only_existing=True, include_views=False
    )


def _postgres_take() -> Callable[[], None]:
    quote = connection.ops.quote_name
    rows: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        for table in _tables():
            sql = f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)"
            with cursor.cursor.copy(sql) as copy:
                rows[table] = b"".join(bytes(block) for block in copy)

    def restore() -> None:
        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                f"TRUNCATE {', '.join(quote(t) for t in rows)} RESTART IDENTITY CASCADE"
            )
            for table, data in rows.items():
                sql = f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)"
                with cursor.cursor.copy(sql) as copy:
                    copy.write(data)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    return restore
