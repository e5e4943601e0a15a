"""Backups that restore: backup → change → restore gives the same records and
photos (checksums compared) on SQLite and PostgreSQL; a damaged backup is
refused and changes nothing; the daily backup keeps the newest few."""

import hashlib
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from gembahall.core import backups
from gembahall.core.backup_files import MANIFEST, backups_list
from gembahall.core.backups import backup_create
from gembahall.core.models import Event, Notification
from gembahall.core.periodic import tick
from gembahall.core.photos import photo_store
from gembahall.org.models import Person
from tests import factories as f
from tests.core.test_photos import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def database_sums() -> dict[str, str]:
    """A SHA-256 per table over its rows in a fixed order, leaving out the
    audit events that backing up and restoring write themselves."""
    sums = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            rows = cursor.fetchall()
            if table == Event._meta.db_table:
                action = columns.index("action")
                rows = [r for r in rows if not r[action].startswith("backup.")]
            text = "\n".join(sorted(repr(tuple(r)) for r in rows))
            sums[table] = hashlib.sha256(text.encode()).hexdigest()
    return sums


def media_sums() -> dict[str, str]:
    media = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(media).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }


def stored_photo(person, width):
    upload = SimpleUploadedFile(
        "p.png", image_bytes("PNG", size=(width, 48)), content_type="image/png"
    )
    return photo_store(actor=person, center=person.center, upload=upload)


@pytest.fixture
def small_hall():
    c = f.center()
    window = f.unit(c)
    person = f.person(c, window, name="张三")
    return {"person": person, "photo": stored_photo(person, 64)}


def change_everything(small_hall):
    person, photo = small_hall["person"], small_hall["photo"]
    Person.objects.filter(pk=person.pk).update(name="李四")
    f.person(person.center, name="王五")
    stored_photo(person, 80)
    Path(photo.image.path).write_bytes(b"not the photo any more")


def test_backup_change_restore_gives_identical_records_and_photos(small_hall):
    records, photos = database_sums(), media_sums()
    assert len(photos) == 2  # the photo and its thumbnail

    backup = backup_create()
    change_everything(small_hall)
    assert database_sums() != records and media_sums() != photos

    call_command("restore", backup.name, "--noinput")

    assert database_sums() == records
    assert media_sums() == photos
    assert Person.objects.get(pk=small_hall["person"].pk).name == "张三"
    restored = Event.objects.get(action="backup.restore")
    assert restored.target_id == backup.name


@pytest.mark.postgres
def test_postgresql_backup_is_a_pg_dump_archive_that_restores(small_hall):
    records = database_sums()
    backup = backup_create()
    assert (backup.path / "database.pgdump").read_bytes()[:5] == b"PGDMP"
    change_everything(small_hall)
    call_command("restore", str(backup.path), "--noinput")
    assert database_sums() == records


def damage_manifest(backup):
    manifest = json.loads((backup.path / MANIFEST).read_text())
    first = next(iter(manifest["files"]))
    manifest["files"][first]["sha256"] = "0" * 64
    (backup.path / MANIFEST).write_text(json.dumps(manifest))


def damage_photo(backup):
    photo = next(p for p in (backup.path / "media").rglob("*.jpg"))
    photo.write_bytes(photo.read_bytes() + b"tail")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (damage_manifest, "备份的清单缺失或已损坏"),
        (damage_photo, "备份已损坏，未恢复：被改动：media/photos/"),
    ],
    ids=["manifest", "photo"],
)
def test_a_damaged_backup_is_refused_and_changes_nothing(small_hall, damage, message):
    backup = backup_create()
    change_everything(small_hall)
    records, photos = database_sums(), media_sums()
    damage(backup)

    with pytest.raises(CommandError, match=message):
        call_command("restore", backup.name, "--noinput")

    assert database_sums() == records
    assert media_sums() == photos
    assert not Event.objects.filter(action="backup.restore").exists()


def at(day, hour, minute=0):
    return datetime(2027, 3, day, hour, minute, tzinfo=SHANGHAI)


def test_the_daily_backup_runs_once_a_day_and_keeps_the_newest(settings):
    settings.GEMBAHALL_BACKUP_AT = "02:00"
    settings.GEMBAHALL_BACKUP_KEEP = 2
    made = []
    for moment in (at(8, 1, 59), at(8, 2), at(8, 2, 1), at(9, 3), at(10, 2, 30)):
        with time_machine.travel(moment, tick=False):
            made.append(tick(only=("backup",))["backup"])

    assert [m is not None for m in made] == [False, True, False, True, True]
    assert [p.name for p in backups_list()] == [
        "gembahall-20270309-030000",
        "gembahall-20270310-023000",
    ]


def test_a_failed_daily_backup_tells_the_sysadmin_once_and_is_audited(
    settings, monkeypatch
):
    settings.GEMBAHALL_BACKUP_AT = "02:00"
    root = f.center()
    sysadmin = f.person(root, name="系统管理员")
    f.grant(sysadmin, "sysadmin")

    def disk_full(target):
        raise OSError("No space left on device")

    monkeypatch.setattr(backups, "snapshot_database", disk_full)
    results = []
    for minute in (0, 1):
        with time_machine.travel(at(8, 2, minute), tick=False):
            results.append(tick(only=("backup",))["backup"])

    assert isinstance(results[0], OSError) and results[1] is None
    (note,) = Notification.objects.filter(person=sysadmin)
    assert note.title == "每日备份失败" and "No space left" in note.body
    failed = Event.objects.get(action="backup.create")
    assert failed.result == Event.Result.FAILED
    assert backups_list() == []
