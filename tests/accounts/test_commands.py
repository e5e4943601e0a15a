"""The createadmin operator command."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from gembahall.accounts.models import User
from gembahall.org.models import Center, RoleAssignment


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def typed_password(monkeypatch):
    def set_password(value):
        monkeypatch.delenv("GEMBAHALL_ADMIN_PASSWORD", raising=False)
        monkeypatch.setattr("sys.stdin", _Terminal())
        monkeypatch.setattr("getpass.getpass", lambda prompt="": value)

    return set_password


@pytest.mark.django_db
def test_createadmin_creates_a_center_account_and_role(typed_password):
    typed_password("Hall-window-A01x")
    call_command(
        "createadmin",
        "ops1",
        "--role",
        "sysadmin",
        "--center",
        "city",
        "--center-name",
        "示范市行政服务中心",
    )
    user = User.objects.get(username="ops1")
    assert user.check_password("Hall-window-A01x")
    assert Center.objects.get(code="city").name == "示范市行政服务中心"
    assert RoleAssignment.objects.get(person__user=user).role == "sysadmin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password"), [("admin", "Hall-window-A01x"), ("ops2", "short")]
)
def test_createadmin_refuses_reserved_names_and_weak_passwords(
    typed_password, username, password
):
    typed_password(password)
    with pytest.raises(CommandError):
        call_command("createadmin", username, "--center", "c", "--center-name", "中心")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createadmin_noinput_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("GEMBAHALL_ADMIN_PASSWORD", "Hall-window-A01x")
    call_command(
        "createadmin",
        "ops3",
        "--noinput",
        "--center",
        "city",
        "--center-name",
        "示范市行政服务中心",
    )
    assert User.objects.get(username="ops3").check_password("Hall-window-A01x")


@pytest.mark.django_db
def test_createadmin_without_terminal_or_variable_says_what_to_do(monkeypatch):
    monkeypatch.delenv("GEMBAHALL_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="GEMBAHALL_ADMIN_PASSWORD"):
        call_command("createadmin", "ops4", "--center", "c", "--center-name", "中心")
    assert not User.objects.exists()
    assert not Center.objects.exists()


@pytest.mark.django_db
def test_createadmin_refuses_two_different_typed_passwords(monkeypatch):
    typed = iter(["Hall-window-A01x", "Hall-window-A01y"])
    monkeypatch.delenv("GEMBAHALL_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    with pytest.raises(CommandError, match="differ|不一致"):
        call_command("createadmin", "ops5", "--center", "c", "--center-name", "中心")
    assert not User.objects.exists()


def test_createadmin_run_from_a_script_ends_in_a_message_not_a_traceback(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GEMBAHALL_DEMO": "1",
    }
    env.pop("GEMBAHALL_ADMIN_PASSWORD", None)
    command = [sys.executable, "-m", "gembahall", "createadmin", "ops6"]
    done = subprocess.run(
        [*command, "--center", "c", "--center-name", "中心"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "GEMBAHALL_ADMIN_PASSWORD" in done.stderr
