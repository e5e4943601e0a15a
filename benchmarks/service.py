"""Service benchmarks, each run in its own process against DATABASE_URL:

  service.py gen N FILE        write N queue-ticket rows as a center's export
  service.py bare FILE         parse FILE first, then time one bulk load of the
                               parsed rows (SQLite: executemany in one
                               transaction; PostgreSQL: COPY), then remove them
  service.py import FILE       time the end-to-end import (read, parse,
                               validate, insert, rollups) and its peak memory
  service.py dashboard N DIR   N tickets of a year for a center of its own;
                               time one month's KPI dashboard from the rollups
                               against DuckDB over the same raw rows in Parquet
  service.py rating-tickets N  N served tickets of today to rate; prints paths

Each prints one JSON line.
"""

import csv
import json
import os
import random
import resource
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.db import connection, transaction  # noqa: E402

from gembahall.casework.imports.tickets import (  # noqa: E402
    INSERT_COLUMNS,
    TicketImporter,
)
from gembahall.casework.models import Source, Ticket  # noqa: E402
from gembahall.org.models import Center, Person, Unit  # noqa: E402

TZ = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")

HEADER = [
    "票号",
    "业务类型",
    "窗口号",
    "工号",
    "取号时间",
    "叫号时间",
    "开始办理时间",
    "办结时间",
    "状态",
]
BUSINESS = [
    "企业设立登记",
    "个体工商户登记",
    "食品经营许可",
    "不动产转移登记",
    "出入境证件办理",
    "社会保险参保登记",
    "住房公积金提取",
    "发票领用",
    "咨询",
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def gen(n: int, path: str) -> None:
    """n rows over 60 days across the demo center's windows, ~1/3 GBK-worthy
    Chinese text, times as queue systems write them."""
    rng = random.Random(7)
    center = Center.objects.get(code="demo")
    windows = list(
        Unit.objects.filter(center=center, kind__in=Unit.WINDOW_KINDS)
        .exclude(code="")
        .values_list("code", flat=True)
    )
    # Staff work at their own window, as in a hall.
    staff = dict(
        Person.objects.filter(center=center, unit__code__in=windows).values_list(
            "unit__code", "staff_number"
        )
    )
    per_day = max(1, n // 60)
    start = date(2026, 1, 5)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(n):
            day = start + timedelta(days=i // per_day)
            taken = datetime.combine(day, datetime.min.time()) + timedelta(
                seconds=8 * 3600 + rng.randrange(9 * 3600)
            )
            called = taken + timedelta(seconds=rng.randrange(3600))
            started = called + timedelta(seconds=30)
            finished = started + timedelta(seconds=rng.randrange(60, 2400))
            fmt = "%Y-%m-%d %H:%M:%S"
            window = rng.choice(windows)
            out.writerow(
                [
                    f"T{i:08d}",
                    rng.choice(BUSINESS),
                    window,
                    staff.get(window, ""),
                    taken.strftime(fmt),
                    called.strftime(fmt),
                    started.strftime(fmt),
                    finished.strftime(fmt),
                    "已办结" if rng.random() < 0.93 else "过号",
                ]
            )
    print(json.dumps({"rows": n}))


class Parsed(TicketImporter):
    """The importer's own reading, to hand the bare load finished rows."""

    def columnar(self, table):
        return False  # the row reader, which hands each batch to write()

    def write(self, records):
        self.rows = getattr(self, "rows", [])
        now = self.time.db_now()
        for r in records:
            self.rows.append(
                (
                    self.new_public_id(),
                    now,
                    now,
                    self.center.pk,
                    self.source.pk,
                    r[2],
                    *self._values(r),
                )
            )


def bare(path: str) -> None:
    center = Center.objects.get(code="demo")
    with connection.cursor() as cursor:  # what an interrupted run left
        cursor.execute(
            f"DELETE FROM {Ticket._meta.db_table} WHERE source_id IN "
            "(SELECT id FROM casework_source WHERE name = 'bare')"
        )
    Source.objects.filter(name="bare").delete()
    parser = Parsed(center=center, path=Path(path), source_name="bare")
    parser.run()  # reads and checks every row, keeping them instead of writing
    source = Source.objects.get(center=center, name="bare", kind="tickets")
    rows = [(*r[:4], source.pk, *r[5:]) for r in parser.rows]
    table = Ticket._meta.db_table
    columns = ", ".join(INSERT_COLUMNS)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows
            )
    seconds = time.perf_counter() - started
    # Nothing refers to these rows: one statement removes them.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE source_id = %s", [source.pk])
    source.delete()
    _vacuum()
    print(json.dumps({"seconds": seconds, "rows": len(rows)}))


def _vacuum():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")


def run_import(path: str) -> None:
    from gembahall.casework.imports.tickets import import_tickets

    center = Center.objects.get(code="demo")
    started = time.perf_counter()
    report = import_tickets(center=center, path=Path(path), source_name="bench")
    seconds = time.perf_counter() - started
    assert report.accepted, report.errors[:5]
    print(
        json.dumps({"seconds": seconds, "rows": report.created, "peak_mb": peak_mb()})
    )


def dashboard(n: int, folder: str) -> None:
    """A center of 60 windows with n tickets over a year."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    import numpy as np

    from gembahall.casework.rollups import TicketDeltas, ticket_fact
    from gembahall.org.models import Department

    center, created = Center.objects.get_or_create(
        code="kpi", defaults={"name": "指标基准中心", "kind": "city"}
    )
    if created:
        dept = Department.objects.create(center=center, name="基准部门")
        Unit.objects.bulk_create(
            Unit(
                center=center,
                kind="window",
                name=f"窗口{i}",
                code=f"K{i:02d}",
                department=dept,
            )
            for i in range(60)
        )
        _fill(center, n, Path(folder), np, TicketDeltas, ticket_fact)
    month = (date(2026, 6, 1), date(2026, 6, 30))
    ours, our_values = _time(lambda: _our_dashboard(center, month))
    duck, duck_values = _duckdb_dashboard(Path(folder) / "tickets.parquet", month)
    # The same figures both ways (DuckDB's discrete quantile may pick the
    # neighbouring minute of the nearest rank).
    for key, value in duck_values.items():
        mine = our_values[key]
        close = 1.0 if key.endswith("p90") else 1e-6
        assert abs(float(mine) - float(value)) <= close, (key, mine, value)
    print(
        json.dumps(
            {
                "ours_ms": ours * 1000,
                "duckdb_ms": duck * 1000,
                "tickets": Ticket.objects.filter(center=center).count(),
            }
        )
    )


def _time(fn, repeat=7):
    fn()
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def _our_dashboard(center, month):
    from gembahall.reports.dashboard import window_rows
    from gembahall.reports.kpis import Scope, ticket_kpis

    kpis = ticket_kpis(Scope(center.pk), *month)
    rows = window_rows(center, *month)
    values = {
        k: kpis[k]
        for k in (
            "tickets",
            "served",
            "wait_avg_min",
            "wait_p90_min",
            "wait_over_rate",
            "handle_avg_min",
            "no_show_rate",
            "return_rate",
            "window_days",
            "throughput",
        )
    }
    for r in rows:
        values[f"w{r.code}_p90"] = r.wait_p90_min
        values[f"w{r.code}_wait"] = r.wait_avg_min
        values[f"w{r.code}_tickets"] = r.tickets
    return values


def _fill(center, n, folder, np, TicketDeltas, ticket_fact):
    """Raw tickets (bulk), their rollups (through the rollup code) and the
    same rows as Parquet for DuckDB."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import uuid_utils.compat

    rng = np.random.default_rng(11)
    windows = list(
        Unit.objects.filter(center=center).values_list("pk", "code", "department_id")
    )
    source = Source.objects.create(center=center, kind="tickets", name="bench")
    day0 = date(2026, 1, 1)
    local_epoch = 1767196800  # 2026-01-01 00:00 in Asia/Shanghai
    day = rng.integers(0, 365, n)
    window = rng.integers(0, len(windows), n)
    # Three staff members work at each window.
    staff = window * 3 + rng.integers(0, 3, n)
    item = rng.integers(0, 20, n)
    taken = 8 * 3600 + rng.integers(0, 9 * 3600, n)
    wait = np.floor(rng.lognormal(np.log(400), 0.8, n)).astype(np.int64)
    handle = np.floor(rng.lognormal(np.log(500), 0.5, n)).astype(np.int64)
    status = rng.choice(
        np.array(["served", "no_show", "returned", "transferred"]),
        n,
        p=[0.9, 0.05, 0.03, 0.02],
    )
    postgres = connection.vendor == "postgresql"
    table = Ticket._meta.db_table
    columns = ", ".join(INSERT_COLUMNS)
    marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
    # Seconds after local midnight of 2026-01-01 of each ticket's four times.
    offsets = np.stack(
        [
            day * 86400 + taken,
            day * 86400 + taken + wait,
            day * 86400 + taken + wait + 30,
            day * 86400 + taken + wait + 30 + handle,
        ]
    )
    utc = np.datetime64("2025-12-31T16:00:00") + offsets.astype("timedelta64[s]")
    texts = np.datetime_as_string(utc, unit="s")
    suffix = "+00" if postgres else ""
    days = [(day0 + timedelta(days=d)) for d in range(366)]
    day_texts = [d.isoformat() for d in days]
    items = [f"业务{i:02d}" for i in range(20)]
    item_keys = [f"b{name}" for name in items]
    staff_numbers = [f"S{i:04d}" for i in range(len(windows) * 3)]
    staff_keys = [f"n{no}" for no in staff_numbers]
    chunk = 200_000
    deltas = TicketDeltas()
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        rows = []
        part = [np.char.replace(texts[k, start:stop], "T", " ") for k in range(4)]
        for j, i in enumerate(range(start, stop)):
            d, w, st = int(day[i]), int(window[i]), str(status[i])
            w_pk, _code, dept = windows[w]
            epochs = [local_epoch + int(offsets[k, i]) for k in range(4)]
            times = [str(part[k][j]) + suffix for k in range(4)]
            if st == "no_show":
                epochs[2] = epochs[3] = None
                times[2] = times[3] = None
            deltas.add(
                ticket_fact(
                    day=days[d],
                    hour=int(taken[i]) // 3600,
                    window_id=w_pk,
                    department_id=dept,
                    staff_key=staff_keys[staff[i]],
                    item_key=item_keys[item[i]],
                    status=st,
                    taken=epochs[0],
                    called=epochs[1],
                    started=epochs[2],
                    finished=epochs[3],
                )
            )
            public_id = uuid_utils.compat.uuid7()
            rows.append(
                (
                    public_id if postgres else public_id.hex,
                    times[0],
                    times[0],
                    center.pk,
                    source.pk,
                    f"K{i:09d}",
                    day_texts[d],
                    items[item[i]],
                    None,
                    w_pk,
                    dept,
                    None,
                    staff_numbers[staff[i]],
                    *times,
                    st,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows
                )
    with transaction.atomic():
        deltas.apply(center.pk)
    no_show = status == "no_show"
    dates = np.datetime64(day0.isoformat()) + day.astype("timedelta64[D]")
    codes = np.array([w[1] for w in windows])[window]
    pq.write_table(
        pa.table(
            {
                "day": pa.array(dates.astype("datetime64[D]")),
                "window_code": pa.array(codes),
                "status": pa.array(status),
                "wait": pa.array(wait, mask=no_show),
                "handle": pa.array(handle, mask=status != "served"),
            }
        ),
        folder / "tickets.parquet",
    )


def _duckdb_dashboard(parquet: Path, month):
    import duckdb
    from django.conf import settings

    db = duckdb.connect()
    threshold = settings.GEMBAHALL_WAIT_THRESHOLD_MINUTES
    where = f"day BETWEEN DATE '{month[0]}' AND DATE '{month[1]}'"
    center_sql = f"""
        SELECT count(*) AS tickets,
               count(*) FILTER (status = 'served') AS served,
               avg(wait) / 60 AS wait_avg_min,
               quantile_disc(wait // 60, 0.9) AS wait_p90_min,
               avg((wait // 60 >= {threshold})::INT) AS wait_over_rate,
               avg(handle) / 60 AS handle_avg_min,
               avg((status = 'no_show')::INT) AS no_show_rate,
               avg((status = 'returned')::INT) AS return_rate,
               count(DISTINCT (day, window_code)) FILTER (status = 'served')
                   AS window_days
        FROM '{parquet}' WHERE {where}
    """
    window_sql = f"""
        SELECT window_code, count(*), avg(wait) / 60,
               quantile_disc(wait // 60, 0.9)
        FROM '{parquet}' WHERE {where} GROUP BY window_code
    """

    def run():
        row = db.execute(center_sql).fetchone()
        names = [
            "tickets",
            "served",
            "wait_avg_min",
            "wait_p90_min",
            "wait_over_rate",
            "handle_avg_min",
            "no_show_rate",
            "return_rate",
            "window_days",
        ]
        values = dict(zip(names, row, strict=True))
        values["throughput"] = values["served"] / values["window_days"]
        for code, tickets, wait_avg, p90 in db.execute(window_sql).fetchall():
            values[f"w{code}_tickets"] = tickets
            values[f"w{code}_wait"] = wait_avg
            values[f"w{code}_p90"] = p90
        return values

    return _time(run)


def rating_tickets(n: int) -> None:
    """n served tickets taken today in the demo center, for rating posts."""
    from django.utils import timezone

    from gembahall.casework.imports.base import raw_insert

    center = Center.objects.get(code="demo")
    source, _ = Source.objects.get_or_create(
        center=center, kind="tickets", name="rating-bench"
    )
    windows = list(
        Unit.objects.filter(center=center, kind="window").values_list(
            "pk", "department_id"
        )
    )
    now = timezone.now()
    tickets = [
        Ticket(
            center=center,
            source=source,
            ticket_no=f"R{i:06d}",
            day=timezone.localdate(),
            window_id=windows[i % len(windows)][0],
            department_id=windows[i % len(windows)][1],
            taken_at=now,
            called_at=now,
            started_at=now,
            finished_at=now,
            status="served",
        )
        for i in range(n)
    ]
    with transaction.atomic():
        raw_insert(Ticket, tickets)
    for t in tickets:
        print(f"/rate/t/demo/{t.ticket_no}/{t.rating_token}/")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "gen":
        gen(int(args[0]), args[1])
    elif command == "bare":
        bare(args[0])
    elif command == "import":
        run_import(args[0])
    elif command == "dashboard":
        dashboard(int(args[0]), args[1])
    elif command == "rating-tickets":
        rating_tickets(int(args[0]))
    else:
        raise SystemExit(__doc__)
