"""System checks: the app refuses to start without a secret key of its own."""

import os
import subprocess
import sys

from config.settings import local_secret_key


def run_without_key(*args, **extra):
    env = dict(os.environ)
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DEBUG", "GEMBAHALL_DEMO"):
        env.pop(name, None)
    env.update(extra)
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )


def test_a_server_without_a_secret_key_refuses_to_start():
    # What gembahall serve, runserver and migrate run first.
    checked = run_without_key("-m", "gembahall", "check")
    assert checked.returncode != 0
    assert "gembahall.E001" in checked.stderr and "SECRET_KEY" in checked.stderr
    deploy = run_without_key("-m", "gembahall", "check", "--deploy")
    assert deploy.returncode != 0 and "gembahall.E001" in deploy.stderr
    # What gunicorn loads in each worker.
    booted = run_without_key("-c", "import config.wsgi")
    assert booted.returncode != 0 and "SECRET_KEY is not set" in booted.stderr


def test_a_server_without_a_field_encryption_key_refuses_to_start():
    checked = run_without_key(
        "-m", "gembahall", "check", SECRET_KEY="x" * 50, FIELD_ENCRYPTION_KEY=""
    )
    assert checked.returncode != 0
    assert "gembahall.E003" in checked.stderr
    assert "FIELD_ENCRYPTION_KEY" in checked.stderr


def test_development_and_the_demo_run_with_nothing_set():
    assert run_without_key("-m", "gembahall", "check", DEBUG="1").returncode == 0
    demo = run_without_key("-c", "import config.wsgi", GEMBAHALL_DEMO="1")
    assert demo.returncode == 0, demo.stderr


def test_the_demo_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "var" / "secret-key"
    key = local_secret_key(path)
    assert len(key) >= 50
    assert local_secret_key(path) == key
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret-key"]
