"""The KPIs read from the rollups equal a plain-Python computation over the
raw records, with the rollups built through the real paths: imports (with a
later export that changes rows) and API events arriving out of order and
twice."""

import math
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from gembahall.casework.events import ticket_event_record
from gembahall.casework.imports.cases import import_cases
from gembahall.casework.imports.tickets import import_tickets
from gembahall.casework.models import Case, ServiceItem, Source, Ticket
from gembahall.casework.rollups import item_key, staff_key
from gembahall.core.workdays import working_days_between
from gembahall.reports.kpis import Scope, case_kpis, ticket_kpis
from tests import factories as f

from .conftest import write_csv

TZ = ZoneInfo("Asia/Shanghai")
DAYS = (date(2026, 3, 5), date(2026, 3, 6))
STATUS_WORDS = {
    "served": "办结",
    "no_show": "过号",
    "returned": "退办",
    "transferred": "转办",
    "": "",
}

tickets = st.lists(
    st.fixed_dictionaries(
        {
            "no": st.integers(1, 30),
            "day": st.sampled_from(DAYS),
            "window": st.sampled_from(["A01", "A02"]),
            "staff": st.sampled_from(["known", "S9", ""]),
            "business": st.sampled_from(["企业设立登记", "咨询", ""]),
            "taken": st.integers(8 * 3600, 16 * 3600),
            "wait": st.one_of(st.none(), st.integers(0, 5400)),
            "handle": st.one_of(st.none(), st.integers(0, 3600)),
            "status": st.sampled_from(list(STATUS_WORDS)),
            "later_handle": st.one_of(st.none(), st.integers(0, 3600)),
        }
    ),
    max_size=25,
    unique_by=lambda t: (t["no"], t["day"]),
)


def at(day, seconds):
    return datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)


def csv_row(t, staff_no, handle):
    taken = at(t["day"], t["taken"])
    called = taken + timedelta(seconds=t["wait"]) if t["wait"] is not None else None
    started = called or taken
    finished = (
        started + timedelta(seconds=handle)
        if handle is not None and t["status"] not in ("", "no_show")
        else None
    )
    fmt = "%Y-%m-%d %H:%M:%S"
    return [
        f"N{t['no']}",
        t["business"],
        t["window"],
        staff_no if t["staff"] == "known" else t["staff"],
        taken.strftime(fmt),
        called.strftime(fmt) if called else "",
        started.strftime(fmt) if called else "",
        finished.strftime(fmt) if finished else "",
        STATUS_WORDS[t["status"]] if finished or t["status"] == "no_show" else "",
    ]


def expected_tickets(rows, start, end, keep=lambda t: True, per_window_day=True):
    """The KPIs straight from the records, as docs/kpis.md defines them."""
    rows = [t for t in rows if start <= t.day <= end and keep(t)]
    waits = [
        (t.called_at - t.taken_at).total_seconds()
        for t in rows
        if t.called_at is not None and t.status != "no_show"
    ]
    handles = [
        (t.finished_at - t.started_at).total_seconds()
        for t in rows
        if t.status == "served" and t.started_at and t.finished_at
    ]
    minutes = sorted(int(w // 60) for w in waits)
    served = [t for t in rows if t.status == "served"]
    window_days = {(t.day, t.window_id) for t in served if t.window_id}
    threshold = settings.GEMBAHALL_WAIT_THRESHOLD_MINUTES

    def share(n, d):
        return n / d if d else None

    return {
        "tickets": len(rows),
        "served": len(served),
        "wait_avg_min": sum(waits) / len(waits) / 60 if waits else None,
        "wait_p90_min": (
            minutes[math.ceil(0.9 * len(minutes)) - 1] if minutes else None
        ),
        "wait_over_rate": share(sum(m >= threshold for m in minutes), len(minutes)),
        "handle_avg_min": sum(handles) / len(handles) / 60 if handles else None,
        "no_show_rate": share(sum(t.status == "no_show" for t in rows), len(rows)),
        "return_rate": share(sum(t.status == "returned" for t in rows), len(rows)),
        # A business has no window-days of its own.
        "window_days": len(window_days) if per_window_day else None,
        "throughput": share(len(served), len(window_days)) if per_window_day else None,
    }


def assert_same(actual, expected):
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        if value is None:
            assert actual[key] is None, key
        else:
            assert math.isclose(actual[key], value, abs_tol=1e-9), (
                key,
                actual[key],
                value,
            )


class TicketKpiProperty(TestCase):
    def setUp(self):
        self.center = f.center(code="prop")
        self.dept = f.department(self.center)
        self.a01 = f.unit(self.center, code="A01", dept=self.dept)
        self.a02 = f.unit(self.center, code="A02", dept=self.dept)
        self.clerk = f.person(self.center, self.a01)
        self.item = ServiceItem.objects.create(
            center=self.center,
            department=self.dept,
            name="企业设立登记",
            handling="promised",
            statutory_days=15,
            promised_days=1,
        )

    @hsettings(
        max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(imported=tickets, pushed=tickets, seed=st.integers(0, 10**6))
    def test_ticket_kpis_equal_a_plain_computation(self, imported, pushed, seed):
        Ticket.objects.all().delete()
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp())
        staff_no = self.clerk.staff_number
        first = [csv_row(t, staff_no, t["handle"]) for t in imported]
        write_csv(folder / "first.csv", first)
        assert import_tickets(center=self.center, path=folder / "first.csv").accepted
        # A later export: finish times filled in or changed on some rows.
        later = [
            csv_row(t, staff_no, t["later_handle"] or t["handle"]) for t in imported
        ]
        write_csv(folder / "later.csv", later)
        assert import_tickets(center=self.center, path=folder / "later.csv").accepted

        source, _ = Source.objects.get_or_create(
            center=self.center, kind="tickets", name="api"
        )
        events = []
        for t in pushed:
            row = csv_row(t, staff_no, t["handle"])
            common = {
                "ticket_no": row[0],
                "window": row[2],
                "staff_no": row[3],
                "business": row[1],
            }
            events.append({**common, "kind": "taken", "at": row[4]})
            if row[5]:
                events.append({**common, "kind": "called", "at": row[5]})
                events.append({**common, "kind": "started", "at": row[6]})
            if row[7]:
                events.append(
                    {**common, "kind": "finished", "at": row[7], "status": t["status"]}
                )
            elif t["status"] == "no_show":
                events.append(
                    {**common, "kind": "finished", "at": row[4], "status": "no_show"}
                )
        for number, event in enumerate(events):
            event["event_id"] = f"e{number}"
        rng = random.Random(seed)
        delivered = events + rng.sample(events, len(events) // 3)
        rng.shuffle(delivered)
        for event in delivered:
            ticket_event_record(
                source=source,
                **{**event, "at": datetime.fromisoformat(event["at"])},
            )

        rows = list(Ticket.objects.all())
        scopes = [
            (Scope(self.center.pk), lambda t: True),
            (
                Scope(self.center.pk, department_id=self.dept.pk),
                lambda t: t.department_id == self.dept.pk,
            ),
            (
                Scope(self.center.pk, window_id=self.a02.pk),
                lambda t: t.window_id == self.a02.pk,
            ),
            (
                Scope(self.center.pk, staff_key=staff_key(self.clerk.pk, "")),
                lambda t: t.staff_id == self.clerk.pk,
            ),
            (
                Scope(self.center.pk, staff_key="nS9"),
                lambda t: t.staff_id is None and t.staff_no == "S9",
            ),
            (
                Scope(self.center.pk, item_key=item_key(self.item.pk, "")),
                lambda t: t.service_item_id == self.item.pk,
            ),
            (
                Scope(self.center.pk, item_key="b咨询"),
                lambda t: t.service_item_id is None and t.business == "咨询",
            ),
        ]
        for start, end in ((DAYS[0], DAYS[1]), (DAYS[1], DAYS[1])):
            for scope, keep in scopes:
                assert_same(
                    ticket_kpis(scope, start, end),
                    expected_tickets(
                        rows, start, end, keep, per_window_day=scope.item_key is None
                    ),
                )


cases = st.lists(
    st.fixed_dictionaries(
        {
            "no": st.integers(1, 40),
            "item": st.sampled_from(["企业设立登记", "个体工商户登记"]),
            "accepted": st.integers(0, 9),
            "took": st.one_of(st.none(), st.integers(0, 6)),
            "outcome": st.sampled_from(["办结", "补正", "退件", ""]),
            "notices": st.integers(0, 3),
            "later_took": st.one_of(st.none(), st.integers(0, 6)),
        }
    ),
    max_size=20,
    unique_by=lambda c: c["no"],
)
CASE_HEADER = [
    "办件编号",
    "事项名称",
    "窗口号",
    "受理时间",
    "办结时间",
    "办理结果",
    "补正次数",
]


class CaseKpiProperty(TestCase):
    def setUp(self):
        self.center = f.center(code="cprop")
        self.dept = f.department(self.center)
        f.unit(self.center, code="A01", dept=self.dept)
        for name, handling, promised in (
            ("企业设立登记", "promised", 3),
            ("个体工商户登记", "immediate", 0),
        ):
            ServiceItem.objects.create(
                center=self.center,
                department=self.dept,
                name=name,
                handling=handling,
                statutory_days=15,
                promised_days=promised,
            )

    def row(self, c, took):
        accepted = datetime(2026, 3, 2, 9) + timedelta(days=c["accepted"])
        done = accepted + timedelta(days=took, hours=1) if took is not None else None
        outcome = c["outcome"] if done else ("补正" if c["outcome"] == "补正" else "")
        fmt = "%Y-%m-%d %H:%M"
        return [
            f"C{c['no']}",
            c["item"],
            "A01",
            accepted.strftime(fmt),
            done.strftime(fmt) if done and outcome != "补正" else "",
            outcome if done or outcome else "",
            str(c["notices"]),
        ]

    @hsettings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(data=cases)
    def test_case_kpis_equal_a_plain_computation(self, data):
        Case.objects.all().delete()
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp())
        write_csv(
            folder / "a.csv", [self.row(c, c["took"]) for c in data], header=CASE_HEADER
        )
        assert import_cases(center=self.center, path=folder / "a.csv").accepted
        write_csv(
            folder / "b.csv",
            [
                self.row(
                    c, c["later_took"] if c["later_took"] is not None else c["took"]
                )
                for c in data
            ],
            header=CASE_HEADER,
        )
        assert import_cases(center=self.center, path=folder / "b.csv").accepted

        start, end, today = date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 12)
        rows = list(Case.objects.all())
        done = [
            c
            for c in rows
            if c.outcome == "completed"
            and start <= c.completed_at.astimezone(TZ).date() <= end
        ]
        day = {c.pk: c.completed_at.astimezone(TZ).date() for c in done}
        compressible = [c for c in done if c.promised_days > 0]
        noticed = [c for c in rows if c.notices >= 1 and start <= c.accepted_on <= end]

        def share(n, d):
            return n / d if d else None

        expected = {
            "cases": sum(start <= c.accepted_on <= end for c in rows),
            "completed": len(done),
            "on_time_rate": share(
                sum(day[c.pk] <= c.deadline for c in done), len(done)
            ),
            "early_rate": share(sum(day[c.pk] < c.deadline for c in done), len(done)),
            "overdue_rate": share(sum(day[c.pk] > c.deadline for c in done), len(done)),
            "compression": (
                1
                - sum(
                    working_days_between(c.accepted_on, day[c.pk]).days
                    for c in compressible
                )
                / sum(c.promised_days for c in compressible)
                if compressible
                else None
            ),
            "immediate_rate": share(
                sum(day[c.pk] == c.accepted_on for c in done), len(done)
            ),
            "notice_compliance": (
                1 - sum(c.notices >= 2 for c in noticed) / len(noticed)
                if noticed
                else None
            ),
            "open_past_deadline": sum(
                c.completed_at is None
                and c.outcome in ("", "correction")
                and c.deadline < today
                for c in rows
            ),
        }
        assert_same(case_kpis(Scope(self.center.pk), start, end, today), expected)
