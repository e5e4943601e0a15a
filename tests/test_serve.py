"""`gembahall serve` answers with the production server, its static files and
the background worker beside it, which is started again if it dies; its
answers name no server software."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings


def worker_pid(parent: int) -> str:
    found = subprocess.run(
        ["pgrep", "-P", str(parent), "-f", "db_worker"], capture_output=True, text=True
    )
    return found.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(
    not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists()
    and not (Path(settings.STATIC_ROOT) / "vendor").exists(),
    reason="collectstatic has not run (make setup runs it)",
)
def test_serve_answers_the_sign_in_page_in_chinese(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "GEMBAHALL_ALLOW_HTTP": "1",
    }
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"):
        env.pop(name, None)
    run = [sys.executable, "-m", "gembahall"]
    subprocess.run([*run, "migrate", "-v", "0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*run, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(base + "/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gembahall serve did not answer")
        assert "登录" in page.read().decode()
        css = urllib.request.urlopen(
            base + "/static/vendor/bootstrap/css/bootstrap.min.css"
        )
        assert css.status == 200
        first = worker_pid(server.pid)
        assert first
        os.kill(int(first), signal.SIGKILL)
        for _ in range(50):
            again = worker_pid(server.pid)
            if again and again != first:
                break
            time.sleep(0.2)
        assert again and again != first, "the worker was not started again"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_names_no_server_software(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "GEMBAHALL_ALLOW_HTTP": "1",
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gembahall", "serve", "--port", str(port)]
        + ["--workers", "1", "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                answer = urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=2
                )
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gembahall serve did not answer")
        assert answer.read() == b"ok"
        assert answer.headers["Server"] is None
        assert "'unsafe-inline'" not in answer.headers["Content-Security-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=20)
