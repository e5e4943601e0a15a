"""Every import refuses, before any parser opens it, a file over the size cap
and an Excel workbook that would expand too far or holds too many parts."""

import importlib
import io
import struct
import zipfile
from unittest import mock

import pytest
from django import forms
from django.apps import apps
from django.utils import translation
from openpyxl import Workbook

from gembahall.core.imports import FileRejected, ImportFileField, Table
from gembahall.core.imports import read as reading

MB = 1024 * 1024


def real_workbook() -> bytes:
    book = Workbook()
    book.active.append(["日期", "名称"])
    book.active.append(["2026-01-01", "元旦"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb(expanded: int, *, lie: bool = False) -> bytes:
    """A small zip whose one part expands to `expanded` bytes; with `lie`,
    its directory claims the part is 100 bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * expanded)
    data = bytearray(out.getvalue())
    if lie:
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = data.find(signature)
            data[at + offset : at + offset + 4] = struct.pack("<I", 100)
    return bytes(data)


@pytest.fixture
def never_parsed():
    with mock.patch.object(
        reading.CalamineWorkbook, "from_path", side_effect=AssertionError("parsed")
    ) as parse:
        yield parse


@pytest.fixture(autouse=True)
def small_caps(settings):
    settings.IMPORT_MAX_EXPANDED_BYTES = 2 * MB
    settings.IMPORT_MAX_ZIP_ENTRIES = 50
    settings.IMPORT_MAX_BYTES = 1 * MB


def test_a_small_workbook_that_expands_beyond_the_cap_is_refused_before_parsing(
    tmp_path, never_parsed
):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(3 * MB))
    assert path.stat().st_size < 20_000
    with translation.override("en"), pytest.raises(FileRejected, match="2 MB"):
        Table(path)
    never_parsed.assert_not_called()


def test_a_workbook_whose_directory_understates_its_size_is_refused_too(
    tmp_path, never_parsed
):
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bomb(3 * MB, lie=True))
    assert zipfile.ZipFile(path).infolist()[0].file_size == 100
    with translation.override("en"), pytest.raises(FileRejected, match="2 MB"):
        Table(path)


def test_a_workbook_of_too_many_parts_is_refused(tmp_path, never_parsed):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(51):
            archive.writestr(f"xl/part{n}.xml", b"<a/>")
    path = tmp_path / "parts.xlsx"
    path.write_bytes(out.getvalue())
    with translation.override("en"), pytest.raises(FileRejected, match="51 parts"):
        Table(path)


def test_a_file_over_the_size_cap_is_refused(tmp_path, never_parsed):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * (MB // 4 + 1))
    with translation.override("en"), pytest.raises(FileRejected, match="at most 1 MB"):
        Table(path)


def test_an_ordinary_workbook_passes_and_is_read(tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(real_workbook())
    table = Table(path)
    assert [cells for _n, cells in table.rows()] == [["2026-01-01", "元旦"]]


def _forms():
    for app in apps.get_app_configs():
        if not app.name.startswith("gembahall"):
            continue
        for module in ("forms", "builder_forms", "catalogue.forms"):
            try:
                importlib.import_module(f"{app.name}.{module}")
            except ModuleNotFoundError:
                continue
    found, todo = [], [forms.Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("gembahall"):
            found.append(cls)
    return found


def test_every_spreadsheet_upload_field_is_held_to_the_import_limits():
    """A file field that is not for photos takes a spreadsheet: it must be an
    ImportFileField, so that a new import gets the caps without a thought."""
    unchecked = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
        and not isinstance(field, ImportFileField)
        and "photo" not in name
    ]
    imports = [
        form
        for form in _forms()
        for field in form.base_fields.values()
        if isinstance(field, ImportFileField)
    ]
    assert unchecked == []
    assert len(imports) >= 4  # roster, records, catalogue, checklist
