"""Take the README's screenshots from the running product.

`make screenshots` builds the demo center in a database of its own, serves it,
signs in as each pictured role in Chromium and writes docs/screenshots/*.png.
SHOTS is the one list of pictures: the README shows exactly these, and
tests/test_readme.py fails when a pictured page's template changed after its
picture was taken.
"""

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = int(os.environ.get("SCREENSHOT_PORT", "8765"))
PHONE = (390, 844)
DESKTOP = (1280, 900)


@dataclass(frozen=True)
class Shot:
    name: str
    user: str
    # A path, or the name of a function below that finds one in the demo.
    path: str
    size: tuple[int, int]
    # Templates of the pictured page: a change to one calls for a new picture.
    templates: tuple[str, ...]


SHOTS = (
    Shot("home-director", "director", "/", DESKTOP, ("core/home.html",)),
    Shot(
        "ranking",
        "director",
        "/inspections/ranking/",
        DESKTOP,
        ("inspections/ranking.html",),
    ),
    Shot(
        "rectification-dashboard",
        "director",
        "/problems/dashboard/",
        DESKTOP,
        ("rectification/dashboard.html",),
    ),
    Shot(
        "before-after",
        "director",
        "/service/before-after/",
        DESKTOP,
        ("reports/before_after.html",),
    ),
    Shot(
        "inspection-phone",
        "inspector",
        "inspection_in_progress",
        PHONE,
        ("inspections/inspection.html",),
    ),
    Shot(
        "problem-phone",
        "director",
        "problem_with_fix",
        PHONE,
        ("rectification/problem.html",),
    ),
    Shot(
        "standards-mine-phone",
        "clerk",
        "/standards/mine/",
        PHONE,
        ("standards/mine.html",),
    ),
    Shot(
        "home-window-head-phone",
        "windowhead",
        "/",
        PHONE,
        ("core/home.html",),
    ),
    Shot("org-tree-phone", "director", "/org/", PHONE, ("org/tree.html",)),
)


def inspection_in_progress() -> str:
    from gembahall.inspections.models import Inspection

    inspection = (
        Inspection.objects.filter(state="draft", unit__kind="window")
        .order_by("unit__code")
        .first()
    )
    return f"/inspections/{inspection.public_id}/"


def problem_with_fix() -> str:
    from gembahall.rectification.models import Problem

    problem = (
        Problem.objects.filter(
            state="submitted",
            photos__isnull=False,
            steps__kind="submitted",
            steps__photos__isnull=False,
        )
        .order_by("-submitted_at")
        .first()
    )
    return problem.get_absolute_url()


def _environment(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(database.parent / "screenshots-media"),
        GEMBAHALL_ALLOW_HTTP="1",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
    )
    return env


def _build_demo(env: dict[str, str]) -> None:
    python = sys.executable
    for command in (["migrate", "--noinput", "-v", "0"], ["demo"]):
        subprocess.run([python, "-m", "gembahall", *command], env=env, check=True)


def _serve(env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gembahall", "serve", "--port", str(PORT)]
        + ["--workers", "2", "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300  # a loaded machine starts slowly
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=5)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer on /healthz")


def _resolve(shot: Shot) -> str:
    if shot.path.startswith("/"):
        return shot.path
    return globals()[shot.path]()


def _take(shots, base_url: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, sign_in
    from tests.conftest import CHROMIUM

    password = "gemba-demo-2026"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for shot in shots:
            width, height = shot.size
            context = browser.new_context(
                viewport={"width": width, "height": height},
                locale="zh-CN",
                base_url=base_url,
            )
            page = context.new_page()
            sign_in(page, shot.user, password)
            page.goto(_resolve(shot))
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{shot.name}.png"))
            print(f"docs/screenshots/{shot.name}.png")
            context.close()
        browser.close()


def main() -> None:
    sys.path.insert(0, str(ROOT))
    database = ROOT / "var" / "screenshots.sqlite3"
    database.parent.mkdir(exist_ok=True)
    env = _environment(database)
    _build_demo(env)
    os.environ.update(env)
    import django

    django.setup()
    server = _serve(env)
    try:
        OUT.mkdir(parents=True, exist_ok=True)
        _take(SHOTS, f"http://127.0.0.1:{PORT}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
