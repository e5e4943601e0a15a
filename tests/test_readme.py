"""The README shows the product as it is: its pictures are the ones the
screenshot script takes, taken after the pictured pages last changed."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.screenshots import OUT, SHOTS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "gembahall" / "templates"


def _last_commit_time(path: Path) -> int | None:
    out = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return int(out) if out else None


def test_readme_shows_exactly_the_pictures_the_script_takes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictured = set(re.findall(r"docs/screenshots/([\w-]+)\.png", readme))
    assert pictured == {shot.name for shot in SHOTS}
    for shot in SHOTS:
        assert (OUT / f"{shot.name}.png").is_file(), shot.name
        for template in shot.templates:
            assert (TEMPLATES / template).is_file(), template


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="needs the project's git history",
)
def test_no_pictured_page_changed_after_its_picture_was_taken():
    stale = []
    for shot in SHOTS:
        taken = _last_commit_time(OUT / f"{shot.name}.png")
        for template in shot.templates:
            changed = _last_commit_time(TEMPLATES / template)
            if taken is not None and changed is not None and changed > taken:
                stale.append(f"{shot.name}.png is older than {template}")
    assert stale == [], "run `make screenshots` and commit the pictures"
