"""The import kit: every spreadsheet import of the product goes through it.

It reads CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or an Excel workbook,
matches the header to the import's columns (aliases; spaces, case and full-
or half-width forms ignored; a file without a required column is refused,
naming it), checks every row with messages that name the row as Excel
numbers it and the column by its header, keeps the first rows as a preview,
writes all of the file or none of it in one transaction, and reports
progress to the job that runs it.

An import declares its columns and fills a few hooks::

    class PlaceImporter(Importer):
        columns_spec = (
            Column("code", ("编号", "code"), required=True),
            Column("name", ("名称", "name"), required=True),
        )
        key_field = "code"

        def read(self, number, cells):
            v = self.texts(cells)
            if not v["name"]:
                self.error(number, "name", _("This column is required."))
                return None
            return Place(center=self.center, code=v["code"], name=v["name"])

        def key(self, record):
            return record.code  # a code twice in the file is named

        def preview(self, record):
            return {"code": record.code, "name": record.name}

        def write(self, records):  # a batch, only while the file is clean
            Place.objects.bulk_create(records)
            self.report.created += len(records)

    report = PlaceImporter(path=path, dry_run=True).run()
    report.errors    # [RowError(row=7, column="name", header="名称", …)]
    report.preview   # [{"row": 2, "code": "P01", "name": "…"}, …]

A background task runs it with `run_import_job(job, lambda progress:
PlaceImporter(path=…, progress=progress).run())`, and the job page shows
`read_progress(job)` while it runs.
"""

from .columns import Column, match_columns, plain
from .progress import read_progress, run_import_job
from .read import Table, cell_text, detect_encoding, file_check
from .report import FileRejected, Report, RowError
from .run import Importer, all_or_nothing
from .upload import ImportFileField

__all__ = [
    "Column",
    "FileRejected",
    "ImportFileField",
    "Importer",
    "Report",
    "RowError",
    "Table",
    "all_or_nothing",
    "cell_text",
    "detect_encoding",
    "file_check",
    "match_columns",
    "plain",
    "read_progress",
    "run_import_job",
]
