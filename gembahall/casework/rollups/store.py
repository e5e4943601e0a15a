"""The rollups' writes, the only SQL of their own: add deltas to counter rows
with one statement per batch, the same on SQLite and PostgreSQL. Other apps'
rollups (ratings) write through `rollup_upsert` too."""

from collections import defaultdict

from django.db import connection
from django.db.models import Q

from ..models import DayStat
from .histogram import histogram_add, histogram_counts
from .schema import TICKET_COUNTERS


def rollup_upsert(*, model, keys, counters, rows, batch: int = 5000) -> None:
    """Add each row's counters to the row of `model` with its key, creating
    it if new (INSERT … ON CONFLICT DO UPDATE). A row is the center id, then
    the values of `keys`, then the deltas of `counters`, in those orders."""
    if not rows:
        return
    table = model._meta.db_table
    columns = ("center_id", *keys, *counters)
    qn = connection.ops.quote_name
    conflict = ", ".join(qn(c) for c in ("center_id", *keys))
    updates = ", ".join(
        f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in counters
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])


def day_stats_apply(*, center_id, stats: dict, minutes: dict) -> None:
    """Add ticket deltas to the DayStat rows they touch: the rows are read
    (locked on PostgreSQL), added to and written back; new rows are inserted.
    `stats` maps (day, dim, key, parent) to counters in TICKET_COUNTERS order;
    `minutes` maps the same keys to minute → count changes, or to a stored
    histogram of additions."""
    by_day = defaultdict(list)
    for key in stats:
        by_day[key[0]].append(key)
    days = sorted(by_day)
    columns = ("id", *TICKET_COUNTERS, "minutes")
    for start in range(0, len(days), 7):
        chunk = days[start : start + 7]
        wanted = {k for day in chunk for k in by_day[day]}
        rows = DayStat.objects.filter(center_id=center_id, day__in=chunk)
        if len(wanted) <= 60:
            q = Q(pk__in=[])
            for day, dim, key, parent in wanted:
                q |= Q(day=day, dim=dim, key=key, parent=parent)
            rows = rows.filter(q)
        if connection.vendor == "postgresql":
            rows = rows.select_for_update()
        found = {
            (r[0], r[1], r[2], r[3]): r[4:]
            for r in rows.values_list("day", "dim", "key", "parent", *columns)
        }
        updates, inserts = [], []
        for key in wanted:
            delta = stats[key]
            changes = minutes.get(key, {})
            old = found.get(key)
            if isinstance(changes, bytes):  # a histogram of additions, encoded
                if old is None:
                    inserts.append(
                        (center_id, key[0].isoformat(), *key[1:], *delta, changes)
                    )
                    continue
                changes = dict(enumerate(histogram_counts(changes)))
            changes = {m: n for m, n in changes.items() if n}
            if old is None:
                if not any(delta):
                    continue
                blob = histogram_add(b"", changes) if changes else b""
                inserts.append((center_id, key[0].isoformat(), *key[1:], *delta, blob))
                continue
            if not any(delta) and not changes:
                continue
            values = [a + b for a, b in zip(old[1:-1], delta, strict=True)]
            blob = bytes(old[-1])
            if changes:
                blob = histogram_add(blob, changes)
            updates.append((*values, blob, old[0]))
        table = DayStat._meta.db_table
        with connection.cursor() as cursor:
            if inserts:
                names = (
                    "center_id",
                    "day",
                    "dim",
                    "key",
                    "parent",
                    *TICKET_COUNTERS,
                    "minutes",
                )
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(names)}) "
                    f"VALUES ({', '.join(['%s'] * len(names))})",
                    inserts,
                )
            if updates:
                sets = ", ".join(f"{c} = %s" for c in (*TICKET_COUNTERS, "minutes"))
                cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", updates)
