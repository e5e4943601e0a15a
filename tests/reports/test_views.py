"""The service dashboard and the before/after report, on imported records."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gembahall.casework.imports.tickets import import_tickets
from gembahall.ratings.services import rating_submit
from tests import factories as f
from tests.casework.conftest import write_csv


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def hall(hall, tmp_path):
    hall.tmp = tmp_path
    return hall


def tickets(hall, day: date, window: str, wait_minutes: int, n: int, tag=""):
    rows = []
    for i in range(n):
        taken = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=9, minutes=i
        )
        called = taken + timedelta(minutes=wait_minutes)
        finished = called + timedelta(minutes=10)
        fmt = "%Y-%m-%d %H:%M:%S"
        rows.append(
            [
                f"{window}{tag}{i:03d}",
                "咨询",
                window,
                hall.clerk.staff_number,
                taken.strftime(fmt),
                called.strftime(fmt),
                called.strftime(fmt),
                finished.strftime(fmt),
                "办结",
            ]
        )
    path = write_csv(hall.tmp / f"t{day}{window}{tag}.csv", rows)
    assert import_tickets(center=hall.center, path=path).accepted


SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def mid_month():
    """The dashboard opens on this month whatever day the suite runs."""
    today = timezone.localdate()
    with time_machine.travel(
        datetime(today.year, today.month, 15, 10, tzinfo=SHANGHAI)
    ):
        yield


def test_the_dashboard_shows_this_month_against_last(client, hall):
    today = timezone.localdate()
    tickets(hall, today, "A01", 10, 5)
    last_month = today.replace(day=1) - timedelta(days=3)
    tickets(hall, last_month, "A02", 30, 4)
    f.signed_in(client, hall.director)
    page = client.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    table = page.context["kpi_table"]
    waits = next(values for label, kind, values in table if kind == "min")
    # Today, this month, last month.
    assert waits == [10, 10, 30]
    windows = {r.code: r for r in page.context["windows"]}
    assert windows["A01"].tickets == 5 and windows["A02"].tickets == 0


def test_on_the_first_the_dashboard_opens_on_last_month_with_today_beside_it(
    client, hall
):
    tickets(hall, date(2026, 11, 12), "A01", 20, 6)
    tickets(hall, date(2026, 10, 20), "A01", 40, 2)
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=SHANGHAI)):
        tickets(hall, date(2026, 12, 1), "A01", 10, 1)
        f.signed_in(client, hall.director)
        page = client.get(reverse("reports:dashboard"))
    assert page.context["month"] == "2026-11"
    assert page.context["columns"][1:] == ["2026-11", "2026-10"]
    taken = next(values for label, kind, values in page.context["kpi_table"])
    assert taken == [1, 6, 2]  # tickets today, in November, in October
    assert "本月数据满7天前，默认显示上一个完整月份" in page.content.decode()


def test_a_window_head_sees_only_their_window(client, hall):
    today = timezone.localdate()
    tickets(hall, today, "A01", 10, 3)
    tickets(hall, today, "A02", 20, 3)
    f.signed_in(client, hall.head)
    page = client.get(reverse("reports:dashboard"))
    assert page.context["window"] == hall.a01
    assert [r.label for r in page.context["staff"]] == [hall.clerk.name]
    other = client.get(reverse("reports:dashboard"), {"window": hall.a02.pk})
    assert other.status_code == 404
    listing = client.get(reverse("reports:tickets"))
    assert {t.window_id for t in listing.context["page"]} == {hall.a01.pk}


def test_the_dashboard_reads_a_fixed_number_of_queries(client, hall):
    f.signed_in(client, hall.director)
    today = timezone.localdate()
    tickets(hall, today, "A01", 10, 3)
    client.get(reverse("reports:dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:dashboard"))
    for i in range(6):
        window = f.unit(hall.center, code=f"B{i}", dept=hall.dept)
        tickets(hall, today, window.code, 5 + i, 4)
        rating_submit(window=window, level=4)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reports:dashboard"))
    assert len(many) == len(few)


def test_the_before_after_report_shows_intervals_a_verdict_and_downloads(client, hall):
    start = date(2026, 3, 2)
    for week in range(4):
        for offset in range(5):
            day = start + timedelta(days=7 * week + offset)
            tickets(hall, day, "A01", 25, 6, "b")
            tickets(hall, day + timedelta(days=35), "A01", 8, 6, "a")
    f.signed_in(client, hall.director)
    params = {
        "baseline_start": "2026-03-01",
        "baseline_end": "2026-03-31",
        "comparison_start": "2026-04-05",
        "comparison_end": "2026-05-05",
    }
    page = client.get(reverse("reports:before_after"), params)
    assert page.status_code == 200
    wait = next(
        c for c in page.context["report"].changes if c.kpi.key == "wait_avg_min"
    )
    assert wait.before == 25 and wait.after == 8
    assert wait.low <= -17 <= wait.high and wait.improved
    assert "95% 区间" in page.content.decode()
    pdf = client.get(reverse("reports:before_after"), {**params, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("reports:before_after"), {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    labels = [row[0].value for row in sheet.iter_rows()]
    assert "平均等候时长（分钟）" in labels


def test_a_period_that_ends_before_it_starts_is_refused(client, hall):
    f.signed_in(client, hall.director)
    page = client.get(
        reverse("reports:before_after"),
        {
            "baseline_start": "2026-03-31",
            "baseline_end": "2026-03-01",
            "comparison_start": "2026-04-01",
            "comparison_end": "2026-04-30",
        },
    )
    assert page.context["report"] is None
    assert "结束日期早于开始日期" in page.content.decode()


def test_window_heads_cannot_open_the_before_after_report(client, hall):
    f.signed_in(client, hall.head)
    assert client.get(reverse("reports:before_after")).status_code == 403


def test_a_window_heads_case_figures_are_their_departments(client, hall):
    from gembahall.casework.imports.cases import import_cases
    from gembahall.casework.models import ServiceItem

    other = f.department(hall.center, "公安局")
    f.unit(hall.center, code="B01", dept=other)
    for dept, name in ((hall.dept, "企业设立登记"), (other, "户口迁移")):
        ServiceItem.objects.create(
            center=hall.center, department=dept, name=name, handling="immediate"
        )
    today = timezone.localdate()
    stamp = f"{today} 09:00"
    rows = [
        ["C1", "企业设立登记", "A01", stamp, f"{today} 09:30", "办结"],
        ["C2", "户口迁移", "B01", stamp, f"{today} 09:40", "办结"],
        ["C3", "户口迁移", "B01", stamp, f"{today} 09:50", "办结"],
    ]
    path = write_csv(
        hall.tmp / "cases.csv",
        rows,
        header=["办件编号", "事项名称", "窗口号", "受理时间", "办结时间", "办理结果"],
    )
    assert import_cases(center=hall.center, path=path).accepted
    f.signed_in(client, hall.head)
    page = client.get(reverse("reports:dashboard"))
    completed = next(
        v for label, kind, v in page.context["kpi_table"] if "办结件数" in str(label)
    )
    assert completed[0] == 1
    f.signed_in(client, hall.director)
    page = client.get(reverse("reports:dashboard"))
    completed = next(
        v for label, kind, v in page.context["kpi_table"] if str(label) == "办结件数"
    )
    assert completed[0] == 3


def evidence_hall(hall, windows: int):
    """Windows whose scores rise by 0, 1, 2, … points and whose wait falls
    by as many minutes, in March against May 2026."""
    from gembahall.inspections.models import Inspection

    checklist = f.checklist(hall.center)
    units = [hall.a01, hall.a02]
    units += [
        f.unit(hall.center, code=f"B{i:02d}", dept=hall.dept)
        for i in range(windows - 2)
    ]
    for i, unit in enumerate(units):
        for day, score, wait in (
            (date(2026, 3, 10), 80, 20),
            (date(2026, 5, 12), 80 + i, 20 - i),
        ):
            Inspection.objects.create(
                center=hall.center,
                checklist=checklist,
                unit=unit,
                unit_label=unit.code,
                kind="official",
                state="final",
                inspected_on=day,
                inspector=hall.director,
                score=score,
                finalized_at=timezone.now(),
            )
            tickets(hall, day, unit.code, wait, 3, tag=str(day))
    return units


EVIDENCE_PERIODS = {
    "baseline_start": "2026-03-01",
    "baseline_end": "2026-03-31",
    "comparison_start": "2026-05-01",
    "comparison_end": "2026-05-31",
}


def test_the_report_gives_the_evidence_window_by_window_and_says_what_it_shows(
    client, hall, django_assert_num_queries
):
    evidence_hall(hall, 7)
    f.signed_in(client, hall.director)
    url = reverse("reports:before_after")
    with CaptureQueriesContext(connection) as first:
        page = client.get(url, EVIDENCE_PERIODS)
    found = page.context["report"].evidence
    assert found.windows == 7 and found.enough
    wait = next(link for link in found.links if link.kpi.key == "wait_avg_min")
    assert wait.x == [0, 1, 2, 3, 4, 5, 6]
    assert wait.y == [0, -1, -2, -3, -4, -5, -6]
    assert wait.slope == -1 and wait.rho == -1 and wait.direction == 1
    assert wait.did == -5  # top third (−5, −6) against the bottom (0, −1)
    html = page.content.decode()
    assert 'data-testid="window-evidence"' in html
    assert "evidence-data-wait_avg_min" in html
    assert "数据支持二者相关：OSM 得分提升越多的窗口，平均等候时长改善也越多。" in html
    assert "窗口之间的关联并不能证明是检查带来了变化" in html
    assert "Pearson" not in html
    # Opened again with nothing changed: read from the cache, not recomputed
    # (sign-in, the second factor's device, scope and the data version's two
    # queries).
    assert len(first) >= 15
    with django_assert_num_queries(8):
        again = client.get(url, EVIDENCE_PERIODS)
    assert again.context["report"].evidence.links[0].x == wait.x
    pdf = client.get(url, {**EVIDENCE_PERIODS, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_new_service_records_make_the_report_recompute(client, hall):
    units = evidence_hall(hall, 6)
    f.signed_in(client, hall.director)
    url = reverse("reports:before_after")
    before = client.get(url, EVIDENCE_PERIODS).context["report"]
    tickets(hall, date(2026, 5, 13), units[0].code, 60, 3, tag="late")
    after = client.get(url, EVIDENCE_PERIODS).context["report"]
    wait = next(c for c in after.changes if c.kpi.key == "wait_avg_min")
    old = next(c for c in before.changes if c.kpi.key == "wait_avg_min")
    assert wait.after > old.after
    # A citizen's rating, and the OSM office taking one out, move the version.
    from gembahall.ratings.services import rating_exclude
    from gembahall.reports.before_after import data_version

    periods = (
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 5, 1), date(2026, 5, 31)),
    )

    def version():
        hall.center.refresh_from_db()
        return data_version(hall.center, *periods)

    seen = version()
    rating = rating_submit(window=units[1], level=1, reasons=["slow"])
    assert version() != seen
    seen = version()
    rating_exclude(actor=hall.director, rating=rating, reason="恶意差评")
    assert version() != seen


def test_too_few_windows_give_words_instead_of_figures(client, hall):
    evidence_hall(hall, 5)
    f.signed_in(client, hall.director)
    page = client.get(reverse("reports:before_after"), EVIDENCE_PERIODS)
    html = page.content.decode()
    assert "逐窗口分析至少需要 6 个窗口，因此不显示数据" in html
    assert "evidence-data-" not in html and "ρ =" not in html
