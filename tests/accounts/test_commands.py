"""The createadmin operator command."""

import pytest
from django.core.management import CommandError, call_command

from gembahall.accounts.models import User
from gembahall.org.models import Center, RoleAssignment


@pytest.fixture
def typed_password(monkeypatch):
    def set_password(value):
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
