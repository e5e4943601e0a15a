"""A run that must not skip a kind of test fails when one of them skips."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = """
import pytest


@pytest.mark.pdftotext
def test_reads_a_pdf():
    pytest.skip("poppler-utils missing")


@pytest.mark.postgres
def test_locks_a_row():
    pass
"""


def run(tmp_path, **required):
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n"
        "from tests.conftest import pytest_sessionfinish  # noqa: F401\n"
    )
    (tmp_path / "test_tiny.py").write_text(TINY)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REQUIRE_")}
    env |= required | {"PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.envplugin"]
        + ["-p", "no:cacheprovider", "-p", "no:xdist", "-q", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("variable", ["REQUIRE_PDFTOTEXT", "REQUIRE_POSTGRES"])
def test_a_required_kind_that_skips_fails_the_run(tmp_path, variable):
    quiet = run(tmp_path)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    strict = run(tmp_path, **{variable: "1"})
    marker = variable.removeprefix("REQUIRE_").lower()
    if variable == "REQUIRE_POSTGRES" and "1 passed" in strict.stdout:
        # On PostgreSQL the PostgreSQL test runs: nothing is skipped.
        assert strict.returncode == 0, strict.stdout
        return
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert f"{variable}=1: {marker} tests were skipped" in strict.stdout
