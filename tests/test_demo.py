"""The demo center: realistic sizes, deterministic, built once."""

import os
import subprocess
import sys

import pytest

from gembahall.accounts.models import User
from gembahall.org.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, build_demo
from gembahall.org.models import Center, Department, Person, RoleAssignment, Unit


@pytest.mark.django_db
def test_demo_builds_a_realistic_center_once():
    city, created = build_demo()
    assert created
    assert city.code == "demo" and city.name == "示范市行政服务中心"
    assert Center.objects.filter(parent=city).count() == 2
    assert Department.objects.filter(center=city).count() >= 30
    assert Unit.objects.windows().filter(center=city).count() >= 60
    assert Person.objects.filter(center=city).count() >= 150
    assert Unit.objects.filter(center=city).without_liaison().exists()
    renumbered = [u for u in Unit.objects.filter(center=city) if u.versions.count() > 1]
    assert len(renumbered) == 1
    assert build_demo() == (city, False)
    assert Center.objects.filter(code="demo").count() == 1


@pytest.mark.django_db
def test_demo_accounts_sign_in_with_the_demo_password(client):
    build_demo()
    for username, role, _label in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert RoleAssignment.objects.filter(person__user=user, role=role).exists()
    assert not User.objects.filter(
        username__in=["admin", "root"], is_active=True
    ).exists()


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 64 + "-production-secret-!@#",
        "ALLOWED_HOSTS": "hall.example.gov.cn",
        "DEBUG": "0",
    }
    for name in ("GEMBAHALL_ALLOW_HTTP", "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gembahall",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
