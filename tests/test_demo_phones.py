"""After the demo is built, none of its phone numbers is in the database
files in clear: not in the SQLite file or its write-ahead log, not in a
dump of PostgreSQL."""

import os
import shutil
import subprocess

import pytest
from django.db import connection

from gembahall.casework.models import AgentRequest
from gembahall.demo import build_demo
from gembahall.org.models import Person
from gembahall.ratings.models import Rating


def known_numbers() -> list[str]:
    """Five of the demo's numbers, read back through the ORM: staff,
    agent-service applicants and citizens who rated badly."""

    def some(model, n):
        rows = model.objects.exclude(phone="").order_by("pk")
        return list(rows.values_list("phone", flat=True)[:n])

    numbers = some(Person, 2) + some(AgentRequest, 2) + some(Rating, 1)
    assert len(numbers) == 5 and all(len(n) == 11 for n in numbers)
    return numbers


def sqlite_bytes() -> bytes:
    name = connection.settings_dict["NAME"]
    data = b""
    for path in (name, f"{name}-wal"):
        if os.path.exists(path):
            with open(path, "rb") as file:
                data += file.read()
    assert data, "the test database is a file"
    return data


def postgres_dump() -> bytes:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    db = connection.settings_dict
    env = dict(os.environ, PGPASSWORD=db.get("PASSWORD") or "")
    args = ["pg_dump", "--data-only", "-d", db["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return subprocess.run(args, env=env, capture_output=True, check=True).stdout


@pytest.mark.django_db(transaction=True)
def test_no_demo_phone_number_is_stored_in_clear():
    build_demo(history_weeks=1, service_days=2)
    numbers = known_numbers()
    stored = sqlite_bytes() if connection.vendor == "sqlite" else postgres_dump()
    assert [n for n in numbers if n.encode() in stored] == []
