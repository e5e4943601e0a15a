from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gembahall.casework.imports.tickets import TicketImporter, import_tickets
from gembahall.casework.models import DayStat, HourStat, Source, Ticket
from gembahall.core.imports import FileRejected
from gembahall.core.models import Event
from gembahall.reports.kpis import Scope, ticket_kpis

from .conftest import HEADER, ticket_rows, write_csv, write_xlsx

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 3, 5)


def state():
    """Everything an import may write."""
    return (
        Ticket.objects.count(),
        list(DayStat.objects.order_by("pk").values_list()),
        list(HourStat.objects.order_by("pk").values_list()),
        Event.objects.count(),
    )


def test_a_gbk_file_with_chinese_headers_and_dates_imports(hall, tmp_path):
    path = write_csv(
        tmp_path / "queue.csv",
        [
            [
                "A001",
                "企业设立登记",
                "A01",
                hall.clerk.staff_number,
                "2026/3/5 9:01",
                "2026/3/5 9:11",
                "2026/3/5 9:12",
                "2026/3/5 9:30",
                "已办结",
            ],
            [
                "A002",
                "开办咨询",
                "a02",
                "S99999",
                "2026年3月5日 9:05",
                "2026年3月5日 9:40",
                "",
                "",
                "过号",
            ],
        ],
        encoding="gbk",
    )
    report = import_tickets(center=hall.center, path=path)
    assert report.accepted and report.encoding == "gb18030"
    assert report.created == 2
    assert report.unknown_staff == {"S99999": 1}
    assert report.unknown_business == {"开办咨询": 1}
    served = Ticket.objects.get(ticket_no="A001")
    assert served.taken_at == datetime(2026, 3, 5, 9, 1, tzinfo=TZ)
    assert served.window == hall.a01 and served.staff == hall.clerk
    assert served.service_item == hall.item and served.status == "served"
    no_show = Ticket.objects.get(ticket_no="A002")
    assert no_show.window == hall.a02 and no_show.staff is None
    assert no_show.staff_no == "S99999" and no_show.status == "no_show"
    kpis = ticket_kpis(Scope(hall.center.pk), DAY, DAY)
    # The no-show's wait does not count; the served ticket waited 10 minutes.
    assert kpis["tickets"] == 2 and kpis["wait_avg_min"] == 10
    assert kpis["handle_avg_min"] == 18 and kpis["no_show_rate"] == 0.5


def test_an_xlsx_with_excel_serial_dates_imports_through_a_mapping(hall, tmp_path):
    # 46086 is 2026-03-05 in Excel's day count; .375 is 9:00.
    path = write_xlsx(
        tmp_path / "queue.xlsx",
        [
            [
                "B7",
                "企业设立登记",
                "A01",
                "",
                46086.375,
                46086.3875,
                46086.39,
                46086.40,
                "办结",
            ]
        ],
        header=[
            "No.",
            "业务类型",
            "Counter",
            "工号",
            "取号时间",
            "叫号时间",
            "开始办理时间",
            "办结时间",
            "状态",
        ],
    )
    report = import_tickets(
        center=hall.center,
        path=path,
        source_name="叫号系统",
        mapping={"ticket_no": "No.", "window": "Counter"},
        save_mapping=True,
    )
    assert report.accepted and report.created == 1
    ticket = Ticket.objects.get()
    assert ticket.ticket_no == "B7" and ticket.window == hall.a01
    assert ticket.taken_at == datetime(2026, 3, 5, 9, 0, tzinfo=TZ)
    assert ticket.called_at == datetime(2026, 3, 5, 9, 18, tzinfo=TZ)
    # Asked to, the mapping is saved with the source system and used next time.
    assert ticket.source.columns == {"ticket_no": "No.", "window": "Counter"}
    again = import_tickets(center=hall.center, path=path, source_name="叫号系统")
    assert again.accepted and again.unchanged == 1


def test_a_bad_last_row_after_several_batches_rejects_the_whole_file(
    hall, tmp_path, monkeypatch
):
    monkeypatch.setattr(TicketImporter, "batch_size", 50)
    # Rollups are applied after every batch, before the bad row is read.
    monkeypatch.setattr(TicketImporter, "rollup_rows", 1)
    write_csv(tmp_path / "first.csv", ticket_rows(10, day="2026-03-04"))
    import_tickets(center=hall.center, path=tmp_path / "first.csv")
    before = state()
    rows = ticket_rows(120)
    rows[-1][4] = "2026-13-45 9:00"
    path = write_csv(tmp_path / "bad.csv", rows)
    report = import_tickets(center=hall.center, path=path)
    assert not report.accepted
    assert [(e.row, e.column, e.header) for e in report.errors] == [
        (121, "taken_at", "取号时间")
    ]
    assert "not a date and time" in report.errors[0].message
    assert state() == before


def test_every_bad_row_is_named_with_its_reason(hall, tmp_path):
    rows = ticket_rows(4)
    rows[1][2] = "Z99"  # unknown window
    rows[2][7] = "2026-03-05 08:00:00"  # finished before it started
    rows[3][0] = rows[0][0]  # duplicate of row 2
    path = write_csv(tmp_path / "bad.csv", rows)
    report = import_tickets(center=hall.center, path=path)
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages == {
        (3, "window"): "no window “Z99” in this center",
        (4, "finished_at"): "finished before it started",
        (5, "ticket_no"): "the same record is already in row 2",
    }
    assert Ticket.objects.count() == 0


def test_importing_the_same_file_again_adds_nothing(hall, tmp_path):
    path = write_csv(tmp_path / "q.csv", ticket_rows(30))
    import_tickets(center=hall.center, path=path)
    before = state()
    report = import_tickets(center=hall.center, path=path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 30)
    assert state()[:3] == before[:3]


def test_a_later_export_with_changed_finish_times_updates_records_and_kpis(
    hall, tmp_path, monkeypatch
):
    # Rollups applied batch by batch give the same figures as all at once.
    monkeypatch.setattr(TicketImporter, "batch_size", 7)
    monkeypatch.setattr(TicketImporter, "rollup_rows", 1)
    import_tickets(
        center=hall.center, path=write_csv(tmp_path / "a.csv", ticket_rows(20))
    )
    first = ticket_kpis(Scope(hall.center.pk), DAY, DAY)
    later = ticket_rows(20, finish_minute=40)
    report = import_tickets(
        center=hall.center, path=write_csv(tmp_path / "b.csv", later)
    )
    assert (report.created, report.updated) == (0, 20)
    second = ticket_kpis(Scope(hall.center.pk), DAY, DAY)
    assert second["tickets"] == first["tickets"] == 20
    assert second["handle_avg_min"] == pytest.approx(first["handle_avg_min"] + 20)
    assert Ticket.objects.filter(finished_at__minute=40).count() == 20


def test_a_file_without_the_required_columns_is_refused(hall, tmp_path):
    path = write_csv(tmp_path / "q.csv", [["1", "x"]], header=["编号", "备注"])
    with pytest.raises(FileRejected, match="no column for: ticket number, taken at"):
        import_tickets(center=hall.center, path=path)


def test_the_command_prints_every_error_and_exits_non_zero(hall, tmp_path, capsys):
    rows = ticket_rows(3)
    rows[2][8] = "挂起"
    path = write_csv(tmp_path / "q.csv", rows)
    with pytest.raises(CommandError, match="rejected with 1 errors"):
        call_command("import_tickets", str(path), center="hall")
    assert "row 4, column 状态: unknown status “挂起”" in capsys.readouterr().err
    assert Ticket.objects.count() == 0


def test_a_dry_run_counts_and_changes_nothing(hall, tmp_path, capsys):
    path = write_csv(tmp_path / "q.csv", ticket_rows(5))
    call_command("import_tickets", str(path), center="hall", dry_run=True)
    assert "Dry run" in capsys.readouterr().out
    assert state() == (0, [], [], 0)
    call_command("import_tickets", str(path), center="hall", map=["status=状态"])
    assert Ticket.objects.count() == 5
    assert Event.objects.filter(action="tickets.import").count() == 1


def varied_rows(n, seed):
    """n tickets over three days as real exports mix them: several date
    forms, padding, lower-case window codes, no window, unknown staff and
    business names, waiting or unfinished tickets, every status word."""
    import random

    rng = random.Random(seed)
    forms = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y年%m月%d日 %H:%M:%S")
    rows = []
    for i in range(n):
        form = rng.choice(forms)
        taken = datetime(2026, 3, 4 + i % 3, 8) + timedelta(
            seconds=rng.randrange(30000)
        )
        if "%S" not in form:
            taken = taken.replace(second=0)
        called = (
            taken + timedelta(minutes=rng.randrange(90)) if rng.random() < 0.9 else None
        )
        started = (
            called + timedelta(seconds=30) if called and rng.random() < 0.9 else None
        )
        finished = (
            started + timedelta(minutes=rng.randrange(40))
            if started and rng.random() < 0.9
            else None
        )
        times = (taken, called, started, finished)
        rows.append(
            [
                f" Q{i:04d} ",
                rng.choice(["企业设立登记", "咨询", "", "不在目录的业务"]),
                rng.choice(["A01", "a02 ", ""]),
                rng.choice(["S001", "", "X999"]),
                *(t.strftime(form) if t else "" for t in times),
                rng.choice(["已办结", "过号", "退办", "转办", "", "等候", "SERVED"]),
            ]
        )
    return rows


def everything_imported():
    """Tickets and rollups as stored, without ids or write times."""
    return (
        sorted(
            Ticket.objects.values_list(
                "source__name",
                "ticket_no",
                "day",
                "business",
                "service_item_id",
                "window_id",
                "department_id",
                "staff_id",
                "staff_no",
                "taken_at",
                "called_at",
                "started_at",
                "finished_at",
                "status",
            )
        ),
        sorted((*r[2:-1], bytes(r[-1])) for r in DayStat.objects.values_list()),
        sorted(r[2:] for r in HourStat.objects.values_list()),
    )


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_the_fast_path_stores_exactly_what_the_row_reader_stores(
    hall, tmp_path, monkeypatch, encoding
):
    """A clean first import of a CSV takes the column-wise path; what it
    writes — records, rollups merged into those already there, warnings —
    is what reading the rows one by one writes."""
    from django.db import transaction

    hall.clerk.staff_number = "S001"
    hall.clerk.save()
    # Another queue system's tickets on the same days: rollup rows exist.
    import_tickets(
        center=hall.center,
        source_name="叫号二期",
        path=write_csv(tmp_path / "other.csv", ticket_rows(5, day="2026-03-05")),
    )
    path = write_csv(tmp_path / "q.csv", varied_rows(400, 11), encoding=encoding)
    read_rows = TicketImporter._read_rows

    def imported(fast: bool):
        def rows_only(self, *args):
            assert not fast, "the fast path fell back to the row reader"
            return read_rows(self, *args)

        monkeypatch.setattr(TicketImporter, "_read_rows", rows_only)
        if not fast:
            monkeypatch.setattr(TicketImporter, "columnar", lambda self, table: False)
        saved = transaction.savepoint_create()
        report = import_tickets(center=hall.center, path=path)
        stored = everything_imported()
        transaction.savepoint_rollback(saved)
        monkeypatch.undo()
        return report, stored

    fast_report, fast = imported(fast=True)
    row_report, rows = imported(fast=False)
    assert fast_report.accepted and row_report.accepted
    assert fast == rows
    assert len(fast[0]) == 405
    for field in ("rows", "created", "unknown_staff", "unknown_business"):
        assert getattr(fast_report, field) == getattr(row_report, field)
    assert fast_report.unknown_staff["X999"] > 0
    assert fast_report.unknown_business["不在目录的业务"] > 0


def test_cells_the_fast_path_does_not_read_go_through_the_row_reader(
    hall, tmp_path, monkeypatch
):
    calls = []
    read_rows = TicketImporter._read_rows

    def spy(self, *args):
        calls.append(self.path.name)
        return read_rows(self, *args)

    monkeypatch.setattr(TicketImporter, "_read_rows", spy)
    clean = write_csv(tmp_path / "clean.csv", ticket_rows(3))
    serial = ticket_rows(3, day="2026-03-06")
    serial[0][7] = "46087.5"  # an Excel serial number left in a CSV
    serial[1][5] = "2026-03-06 09:01:30.250"  # fractional seconds
    odd = write_csv(tmp_path / "odd.csv", serial)
    assert import_tickets(center=hall.center, path=clean).created == 3
    report = import_tickets(center=hall.center, path=odd)
    assert report.accepted and report.created == 3
    assert calls == ["odd.csv"]
    assert Ticket.objects.get(ticket_no="A0000", day=date(2026, 3, 6)).finished_at == (
        datetime(2026, 3, 6, 12, tzinfo=TZ)
    )
    # Importing the clean file again reads its rows: its days hold its tickets.
    assert import_tickets(center=hall.center, path=clean).unchanged == 3
    assert calls == ["odd.csv", "clean.csv"]


def test_a_bad_row_in_the_middle_of_a_workbook_undoes_the_updates_before_it(
    hall, tmp_path, monkeypatch
):
    """A later export changes tickets already stored; the batches before the
    bad row update them and move their rollups, and all of it is undone:
    the stored tickets keep their times, the rollups their figures."""
    monkeypatch.setattr(TicketImporter, "batch_size", 20)
    monkeypatch.setattr(TicketImporter, "rollup_rows", 1)
    import_tickets(
        center=hall.center, path=write_csv(tmp_path / "a.csv", ticket_rows(60))
    )
    before = state()
    times = sorted(Ticket.objects.values_list("ticket_no", "finished_at"))
    later = ticket_rows(100, finish_minute=45)
    later[50][0] = ""  # row 52: no ticket number
    report = import_tickets(
        center=hall.center, path=write_xlsx(tmp_path / "later.xlsx", later)
    )
    assert [(e.row, e.column, e.header) for e in report.errors] == [
        (52, "ticket_no", "票号")
    ]
    assert report.updated == 40 and not report.accepted
    assert state() == before
    assert sorted(Ticket.objects.values_list("ticket_no", "finished_at")) == times


def test_both_paths_preview_the_same_first_rows(hall, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "q.csv", varied_rows(30, 5))

    def no_rows(self, *args):
        raise AssertionError("the fast path fell back to the row reader")

    monkeypatch.setattr(TicketImporter, "_read_rows", no_rows)
    fast = import_tickets(center=hall.center, path=path, dry_run=True)
    monkeypatch.undo()
    monkeypatch.setattr(TicketImporter, "columnar", lambda self, table: False)
    rows = import_tickets(center=hall.center, path=path, dry_run=True)
    assert fast.preview == rows.preview
    assert len(fast.preview) == 20 and fast.preview[0]["row"] == 2
    assert fast.preview[0]["ticket_no"] == "Q0000"
    assert Ticket.objects.count() == 0


QUEUE_V1 = ["排队号码", *HEADER[1:]]


def test_map_without_save_leaves_the_profile_unchanged(hall, tmp_path, capsys):
    path = write_csv(tmp_path / "v1.csv", ticket_rows(2), header=QUEUE_V1)
    call_command("import_tickets", str(path), center="hall", map=["ticket_no=排队号码"])
    out = capsys.readouterr().out
    assert "Profile “默认”, saved mapping: none." in out
    assert "add --save" in out
    assert Source.objects.get(kind="tickets").columns == {}


def test_save_stores_the_mapping_in_the_profile(hall, tmp_path, capsys):
    path = write_csv(tmp_path / "v1.csv", ticket_rows(2), header=QUEUE_V1)
    call_command(
        "import_tickets",
        str(path),
        center="hall",
        map=["ticket_no=排队号码"],
        save=True,
    )
    assert Source.objects.get(kind="tickets").columns == {"ticket_no": "排队号码"}
    again = write_csv(tmp_path / "v1b.csv", ticket_rows(3), header=QUEUE_V1)
    call_command("import_tickets", str(again), center="hall")
    assert "saved mapping: ticket_no=排队号码." in capsys.readouterr().out
    assert Ticket.objects.count() == 3


def test_a_saved_mapping_missing_a_header_falls_back_with_a_warning(
    hall, tmp_path, capsys
):
    Source.objects.create(
        center=hall.center,
        kind="tickets",
        name="默认",
        columns={"ticket_no": "排队号码"},
    )
    # The queue system was upgraded: its export now says 票号.
    path = write_csv(tmp_path / "v2.csv", ticket_rows(2))
    call_command("import_tickets", str(path), center="hall")
    err = capsys.readouterr().err
    assert "“排队号码”, which this file lacks; the column “票号” was matched" in err
    assert Ticket.objects.count() == 2
    # The saved profile is left as it was.
    assert Source.objects.get(kind="tickets").columns == {"ticket_no": "排队号码"}


def test_an_ad_hoc_mapping_to_a_missing_header_is_still_refused(hall, tmp_path):
    path = write_csv(tmp_path / "v2.csv", ticket_rows(2))
    with pytest.raises(CommandError, match="no such column"):
        call_command(
            "import_tickets", str(path), center="hall", map=["ticket_no=排队号码"]
        )
