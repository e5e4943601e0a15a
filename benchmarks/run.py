"""Benchmarks: the org tree and the people list of a demo center scaled ×10,
under 20 concurrent connections against `gembahall serve` (warm page caches, and
the people list again with every request a cache miss); the monthly ranking
over a year of weekly window inspections; the problem list and the
rectification dashboard over 50,000 problems; finalizing 30-item inspections.
Each beside a minimal Django view measured the same way in the same run.
The before/after report (default periods, per-window evidence) over the demo's
year of service is measured warm against the service dashboard in the same
run, and its first, cold answer is timed.

BENCH_SCALE (a fraction, default 1) shrinks the data and the run time.
Writes benchmarks/results.json and prints a table.
"""

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from targets import (
    RPS_AGAINST,
    print_table,
)

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results.json"
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
DEMO_SCALE = max(1, round(10 * SCALE))
DURATION = max(3, round(20 * SCALE))
CONNECTIONS = 20
WRK_TIMEOUT = 60
# A loaded machine starts gunicorn slowly; a server that exits fails at once.
STARTUP_S = 600
# BENCH_REUSE=1 measures again on the data of the last run in benchmarks/work.
REUSE = os.environ.get("BENCH_REUSE") == "1"
PROBLEMS = round(50_000 * SCALE)
FINALIZE_PATHS = WORK / "finalize_paths.txt"
RATING_PATHS = WORK / "rating_paths.txt"
IMPORT_ROWS = round(1_000_000 * SCALE)
DASHBOARD_TICKETS = round(10_000_000 * SCALE)
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/gembahall_bench"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env(database: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "GEMBAHALL_ALLOW_HTTP": "1",
        "GEMBAHALL_DEMO": "1",
        # One load generator on one address: the flood caps are raised.
        "GEMBAHALL_RATING_LIMIT_PER_ADDRESS": "1000000000",
        "GEMBAHALL_RATING_LIMIT_PER_WINDOW": "1000000000",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # A year of a scaled center's tickets is one file far above the upload
        # cap, and a cold report on a loaded machine outlasts the web timeout.
        "IMPORT_MAX_MB": "4096",
        "IMPORT_MAX_EXPANDED_MB": "8192",
        "WEB_TIMEOUT": os.environ.get("WEB_TIMEOUT", "300"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def manage(*args, environ):
    subprocess.run(
        [sys.executable, "-m", "gembahall", *args], env=environ, check=True, cwd=ROOT
    )


def build(environ) -> dict:
    manage("migrate", "--noinput", "-v", "0", environ=environ)
    manage("demo", "--scale", str(DEMO_SCALE), "--service-days", "365", environ=environ)
    code = (
        "from gembahall.org.models import Unit, Person, Department;"
        "print(Unit.objects.windows().filter(center__code='demo').count(),"
        " Person.objects.filter(center__code='demo').count(),"
        " Department.objects.filter(center__code='demo').first().public_id)"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environ,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    paths = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "drafts.py"), str(200 * DURATION)],
        env=environ,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    FINALIZE_PATHS.write_text(paths)
    RATING_PATHS.write_text(
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "service.py"),
                "rating-tickets",
                str(600 * DURATION),
            ],
            env=environ,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
    )
    problems = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "problems.py"), str(PROBLEMS)],
        env=environ,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return {
        "problems": int(problems.split()[-1]),
        "windows": int(out[0]),
        "people": int(out[1]),
        "department": out[2],
        "drafts": len(paths.split()),
    }


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    """Wait for the server's first answer: up to STARTUP_S, less if it exits."""
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer within {STARTUP_S} s")


def session_cookie(base: str, username: str = "director") -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "username": username,
            "password": "gemba-demo-2026",
            "csrfmiddlewaretoken": token,
        }
    ).encode()
    opener.open(urllib.request.Request(base + "/accounts/login/", data=data))
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "sign-in failed"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def wrk(
    url: str, cookie: str, bust: bool = False, script="report.lua", extra=None
) -> dict:
    cmd = [
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}s",
        "--latency",
        # The service pages of a year take seconds under 20 connections: a
        # slow answer is measured (p95), not dropped as an error.
        "--timeout",
        f"{WRK_TIMEOUT}s",
        "-s",
        str(ROOT / "benchmarks" / script),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    environ = {**os.environ, **(extra or {})}
    if bust:
        environ["WRK_BUST"] = "1"
    out = subprocess.run(
        cmd, check=True, capture_output=True, text=True, env=environ
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    if result["errors"]:
        raise SystemExit(f"{url}: {result['errors']} errors under load")
    return result


def ranking_path() -> str:
    """The ranking of the last full month."""
    today = time.localtime()
    year, month = (
        (today.tm_year, today.tm_mon - 1)
        if today.tm_mon > 1
        else (today.tm_year - 1, 12)
    )
    return f"/inspections/ranking/?month={year}-{month:02d}"


def finalize(base: str) -> dict:
    """Every request finalizes another prepared inspection, as the inspector."""
    cookie = session_cookie(base, "inspector")
    csrf = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    count = len(FINALIZE_PATHS.read_text().split())
    result = wrk(
        base + "/",
        cookie,
        script="post.lua",
        extra={
            "WRK_PATHS": str(FINALIZE_PATHS),
            "WRK_CSRF": csrf,
            "WRK_REFERER": base + "/",
        },
    )
    if result["requests"] > count:
        raise SystemExit(f"only {count} inspections prepared for finalizing")
    return result


def rating_posts(base: str) -> dict:
    """Citizens' ratings, each for another ticket, from one address."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    first = RATING_PATHS.read_text().split()[0]
    opener.open(base + first).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    count = len(RATING_PATHS.read_text().split())
    result = wrk(
        base + "/",
        f"csrftoken={csrf}",
        script="post.lua",
        extra={
            "WRK_PATHS": str(RATING_PATHS),
            "WRK_CSRF": csrf,
            "WRK_REFERER": base + "/",
            "WRK_BODY": "level=5",
        },
    )
    if result["requests"] > count:
        raise SystemExit(f"only {count} tickets prepared for rating")
    return result


def transferred(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(
        url, headers={"Accept-Encoding": "gzip", "Cookie": cookie}
    )
    with urllib.request.urlopen(request) as answer:
        return len(answer.read())


def cold_seconds(url: str, cookie: str) -> float:
    """The time to a page's first answer, nothing of it cached yet."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as answer:
        answer.read()
        assert answer.status == 200
    return time.perf_counter() - started


def warm_every_worker(url: str, cookie: str, rounds: int = 3) -> None:
    """Each server process keeps its own cache: concurrent requests, so every
    process answers (and caches) the page before it is measured."""
    from concurrent.futures import ThreadPoolExecutor

    def get(_n):
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=300) as answer:
            return answer.read()

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        for _ in range(rounds):
            list(pool.map(get, range(CONNECTIONS)))


def rating_page_bytes(base: str, cookie: str) -> dict:
    """Everything a phone downloads for the rating page, compressed; beside
    it the same for the sign-in page of the staff application."""
    rating = transferred(base + RATING_PATHS.read_text().split()[-1])
    page = urllib.request.urlopen(base + "/accounts/login/").read().decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    login = transferred(base + "/accounts/login/") + sum(
        transferred(base + a) for a in assets
    )
    return {"rating": rating, "login": login}


def service_benchmarks(environ) -> dict:
    """The import and the KPI dashboard, each in processes of their own."""
    script = [sys.executable, str(ROOT / "benchmarks" / "service.py")]

    def run(*args, env=environ):
        out = subprocess.run(
            [*script, *map(str, args)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])

    export = WORK / "tickets.csv"
    run("gen", IMPORT_ROWS, export)
    bare = run("bare", export)
    ours = run("import", export)
    results = {"import": (ours, bare)}
    results["dashboard_sqlite"] = run("dashboard", DASHBOARD_TICKETS, WORK / "kpi")
    postgres = postgres_env(environ)
    if postgres is not None:
        results["dashboard_postgres"] = run(
            "dashboard", DASHBOARD_TICKETS, WORK / "kpi-pg", env=postgres
        )
    return results


def postgres_env(environ):
    """A fresh benchmark database on the local PostgreSQL, or None."""
    import psycopg

    url = urllib.parse.urlparse(POSTGRES_URL)
    name = url.path.lstrip("/")
    admin = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        print("PostgreSQL is not reachable: the PostgreSQL dashboard is skipped")
        return None
    postgres = {**environ, "DATABASE_URL": POSTGRES_URL}
    manage("migrate", "--noinput", "-v", "0", environ=postgres)
    return postgres


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    environ = env(WORK / "bench.sqlite3")
    if REUSE and (WORK / "sizes.json").exists():
        sizes = json.loads((WORK / "sizes.json").read_text())
    else:
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        sizes = build(environ)
        (WORK / "sizes.json").write_text(json.dumps(sizes))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gembahall",
            "serve",
            "--port",
            str(port),
            "--no-worker",
        ],
        env=environ,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base, server)
        cookie = session_cookie(base)
        pages = {
            "org_tree": "/org/",
            "people_list": "/org/people/",
            "department_windows": f"/org/departments/{sizes['department']}/windows/",
        }
        for path in pages.values():  # warm up every worker
            wrk_short = urllib.request.Request(base + path, headers={"Cookie": cookie})
            assert urllib.request.urlopen(wrk_short).status == 200
        baseline = wrk(base + "/healthz", cookie)
        measured = {name: wrk(base + path, cookie) for name, path in pages.items()}
        # Every request a cache miss: the people list rendered from the database.
        measured["people_list_uncached"] = wrk(
            base + pages["people_list"], cookie, True
        )
        measured["ranking_month"] = wrk(base + ranking_path(), cookie)
        for name, path in (
            ("problem_list", "/problems/"),
            ("rect_dashboard", "/problems/dashboard/"),
        ):
            warm = urllib.request.Request(base + path, headers={"Cookie": cookie})
            assert urllib.request.urlopen(warm).status == 200
            measured[name] = wrk(base + path, cookie)
        # Every request a cache miss: the list read and rendered from the database.
        measured["problem_list_uncached"] = wrk(base + "/problems/", cookie, True)
        cold = cold_seconds(base + "/service/before-after/", cookie)
        for name, path in (
            ("service_dashboard", "/service/"),
            ("before_after", "/service/before-after/"),
        ):
            warm_every_worker(base + path, cookie)
            measured[name] = wrk(base + path, cookie)
        measured["finalize_inspection"] = finalize(base)
        measured["rating_post"] = rating_posts(base)
        page_bytes = rating_page_bytes(base, cookie)
    finally:
        server.terminate()
        server.wait(timeout=30)
    params = {
        "scale": SCALE,
        "demo_scale": DEMO_SCALE,
        "windows": sizes["windows"],
        "people": sizes["people"],
        "problems": sizes["problems"],
        "database": "sqlite",
        "clients": CONNECTIONS,
        "duration_s": DURATION,
        "load_tool": "wrk",
        "server": "gembahall serve (gunicorn)",
    }
    results = []
    service = service_benchmarks(environ)
    ours, bare = service["import"]
    results.append(
        {
            "name": "import_1m_tickets_s",
            "value": round(ours["seconds"], 2),
            "unit": "s",
            "baseline_name": "bare_bulk_load_s",
            "baseline_value": round(bare["seconds"], 2),
            "ratio": round(ours["seconds"] / bare["seconds"], 2),
            "higher_is_better": False,
            "target_ratio": 2.0,
            "params": {**params, "rows": ours["rows"]},
        }
    )
    results.append(
        {
            "name": "import_peak_memory_mb",
            "value": round(ours["peak_mb"]),
            "unit": "MB",
            "baseline_name": "budget_mb",
            "baseline_value": 1024,
            "ratio": round(ours["peak_mb"] / 1024, 2),
            "higher_is_better": False,
            "target_ratio": 1.0,
            "params": params,
        }
    )
    for key in ("dashboard_sqlite", "dashboard_postgres"):
        if key in service:
            d = service[key]
            results.append(
                {
                    "name": f"{key}_ms",
                    "value": round(d["ours_ms"], 1),
                    "unit": "ms",
                    "baseline_name": "duckdb_parquet_ms",
                    "baseline_value": round(d["duckdb_ms"], 1),
                    "ratio": round(d["ours_ms"] / d["duckdb_ms"], 2),
                    "higher_is_better": False,
                    "target_ratio": 1.0,
                    "params": {**params, "tickets": d["tickets"]},
                }
            )
    results.append(
        {
            "name": "rating_page_bytes",
            "value": page_bytes["rating"],
            "unit": "B",
            "baseline_name": "sign_in_page_bytes",
            "baseline_value": page_bytes["login"],
            "ratio": round(page_bytes["rating"] / page_bytes["login"], 3),
            "higher_is_better": False,
            "target_value": 100 * 1024,
            "params": params,
        }
    )
    results.append(
        {
            "name": "before_after_cold_s",
            "value": round(cold, 2),
            "unit": "s",
            "baseline_name": "before_after_warm_p95_s",
            "baseline_value": round(measured["before_after"]["p95_ms"] / 1000, 3),
            "ratio": round(cold * 1000 / measured["before_after"]["p95_ms"], 1),
            "higher_is_better": False,
            "params": params,
        }
    )
    for name, (other, target) in RPS_AGAINST.items():
        results.append(
            {
                "name": f"{name}_vs_dashboard_rps",
                "value": measured[name]["rps"],
                "unit": "req/s",
                "baseline_name": f"{other}_rps",
                "baseline_value": measured[other]["rps"],
                "ratio": round(measured[name]["rps"] / measured[other]["rps"], 3),
                "higher_is_better": True,
                "target_ratio_min": target,
                "params": params,
            }
        )
    for name, m in measured.items():
        results.append(
            {
                "name": f"{name}_rps",
                "value": m["rps"],
                "unit": "req/s",
                "baseline_name": "minimal_view_rps",
                "baseline_value": baseline["rps"],
                "ratio": round(m["rps"] / baseline["rps"], 3),
                "higher_is_better": True,
                "params": params,
            }
        )
        results.append(
            {
                "name": f"{name}_p95",
                "value": m["p95_ms"],
                "unit": "ms",
                "baseline_name": "minimal_view_p95",
                "baseline_value": baseline["p95_ms"],
                "ratio": round(m["p95_ms"] / baseline["p95_ms"], 3),
                "higher_is_better": False,
                "params": params,
            }
        )
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_table(results, params)


if __name__ == "__main__":
    main()
