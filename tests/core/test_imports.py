"""The import kit: encodings, header aliases, row-and-column messages, the
preview, all or nothing, and progress through the job."""

import csv
import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import Workbook

from gembahall.core.imports import (
    Column,
    FileRejected,
    Importer,
    Table,
    detect_encoding,
    match_columns,
    read_progress,
    run_import_job,
)
from gembahall.core.models import CalendarDay, Job
from tests import factories as f

HEADER = ["日期", "名称", "是否上班"]


class HolidayImporter(Importer):
    """A small import of the kit's own: calendar days, two to a batch."""

    columns_spec = (
        Column("date", ("日期", "date"), "日期", required=True),
        Column("name", ("名称", "节日名称", "name"), "名称"),
        Column("workday", ("是否上班", "workday"), "是否上班", required=True),
    )
    key_field = "date"
    batch_size = 2

    def read(self, number, cells):
        v = self.texts(cells)
        try:
            day = date.fromisoformat(v["date"])
        except ValueError:
            self.error(number, "date", "not a date")
            return None
        if v["workday"] not in ("是", "否"):
            self.error(number, "workday", "write 是 or 否")
            return None
        return CalendarDay(
            date=day, name=v.get("name", ""), is_workday=v["workday"] == "是"
        )

    def key(self, record):
        return record.date

    def preview(self, record):
        return {"date": record.date.isoformat(), "name": record.name}

    def write(self, records):
        CalendarDay.objects.bulk_create(records)
        self.report.created += len(records)


def write_csv(path, rows, *, header=HEADER, encoding="utf-8"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def days(n, start=1):
    return [[f"2099-01-{d:02d}", f"假日{d}", "否"] for d in range(start, start + n)]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_gb18030_file_is_recognised_and_read_as_chinese(tmp_path, db):
    # 𠀀 exists in GB18030 only, not in GBK: the whole national range is read.
    path = write_csv(
        tmp_path / "gb.csv", [["2099-01-01", "元旦𠀀", "否"]], encoding="gb18030"
    )
    report = HolidayImporter(path=path).run()
    assert report.encoding == "gb18030" and report.accepted
    assert CalendarDay.objects.get(date__year=2099).name == "元旦𠀀"


@pytest.mark.parametrize(
    ("sample", "encoding"),
    [
        ("日期".encode("utf-8-sig"), "utf-8-sig"),
        ("日期".encode(), "utf-8"),
        ("日期,名称".encode("gbk"), "gb18030"),
    ],
)
def test_encodings_are_told_apart(sample, encoding):
    assert detect_encoding(sample) == encoding


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"  \n")
    with pytest.raises(FileRejected, match="The file is empty"):
        Table(path)


def test_a_text_file_is_refused_where_a_workbook_is_wanted(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_text("工号,姓名\n")
    with pytest.raises(FileRejected, match="not a readable Excel workbook"):
        Table(path, workbook_only=True)


def test_headers_match_by_alias_in_full_width_any_case_and_with_spaces():
    columns = (
        Column("code", ("窗口编号", "code"), required=True),
        Column("name", ("名称", "节日名称")),
    )
    header = ["备注", " ＣＯＤＥ ", "节日 名称"]
    assert match_columns(header, columns) == {"code": 1, "name": 2}


def test_a_mapping_chosen_for_the_file_comes_before_the_aliases():
    columns = (Column("code", ("编号",), required=True),)
    found = match_columns(["编号", "No."], columns, {"code": "no."})
    assert found == {"code": 1}


def test_a_file_without_a_required_column_names_every_missing_header(tmp_path, db):
    path = write_csv(tmp_path / "x.csv", [["x"]], header=["备注"])
    with pytest.raises(FileRejected) as refused:
        HolidayImporter(path=path).run()
    assert str(refused.value) == "The file has no column for: 日期, 是否上班."


def test_every_bad_row_is_named_by_its_excel_row_and_the_files_header(tmp_path, db):
    rows = days(4)
    rows[1][0] = "2099-02-30"
    rows[3][2] = "也许"
    rows.insert(2, ["", "", ""])  # a blank line keeps the numbering
    rows.append(rows[0])
    path = write_csv(tmp_path / "x.csv", rows, header=["date", "名称", "是否上班"])
    report = HolidayImporter(path=path).run()
    assert [(e.row, e.column, e.header, e.message) for e in report.errors] == [
        (3, "date", "date", "not a date"),
        (6, "workday", "是否上班", "write 是 or 否"),
        (7, "date", "date", "the same record is already in row 2"),
    ]
    assert str(report.errors[1]) == "row 6, column 是否上班: write 是 or 否"
    assert report.rows == 5 and not report.accepted  # the blank line is no row


def test_a_bad_row_after_written_batches_leaves_nothing_written(tmp_path, db):
    rows = days(7)
    rows[5][2] = "?"
    path = write_csv(tmp_path / "x.csv", rows)
    report = HolidayImporter(path=path).run()
    assert [(e.row, e.column) for e in report.errors] == [(7, "workday")]
    # Three batches of two were written before row 7 was read.
    assert report.created == 4
    assert not CalendarDay.objects.filter(date__year=2099).exists()


def test_a_dry_run_previews_the_first_rows_and_writes_nothing(tmp_path, db):
    path = tmp_path / "x.xlsx"
    book = Workbook()
    book.active.append(HEADER)
    for row in days(30):
        book.active.append(row)
    book.save(path)

    class Three(HolidayImporter):
        preview_rows = 3

    report = Three(path=path, dry_run=True).run()
    assert report.accepted and report.created == 30 and report.encoding == "xlsx"
    assert report.preview == [
        {"row": 2, "date": "2099-01-01", "name": "假日1"},
        {"row": 3, "date": "2099-01-02", "name": "假日2"},
        {"row": 4, "date": "2099-01-03", "name": "假日3"},
    ]
    assert report.as_dict()["preview"] == report.preview
    assert not CalendarDay.objects.filter(date__year=2099).exists()


def test_a_job_runs_the_import_with_progress_and_keeps_the_report(tmp_path, db):
    center = f.center()
    path = write_csv(tmp_path / "x.csv", days(5))
    job = Job.objects.create(
        center=center,
        kind="import",
        title="x",
        params={"path": str(path)},
        created_by=f.person(center),
    )
    seen = []

    def run(progress):
        progress(0.5)
        seen.append(read_progress(job))
        return HolidayImporter(path=path, progress=progress).run()

    result = run_import_job(job, run)
    job.refresh_from_db()
    assert seen == [50] and read_progress(job) == 0  # the file is gone
    assert job.state == Job.State.DONE and job.result == result
    assert result["created"] == 5 and result["errors"] == []


def test_a_refused_file_fails_its_job_with_the_reason(tmp_path, db):
    center = f.center()
    path = write_csv(tmp_path / "x.csv", [["x"]], header=["备注"])
    job = Job.objects.create(
        center=center,
        kind="import",
        title="x",
        params={"path": str(path)},
        created_by=f.person(center),
    )
    run_import_job(job, lambda progress: HolidayImporter(path=path).run())
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.message == "The file has no column for: 日期, 是否上班."
