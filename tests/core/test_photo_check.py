"""The photo-integrity check finds a changed or missing photo file, tells the
system administrator and writes it to the audit trail."""

import hashlib
import importlib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from gembahall.core.models import Event, Notification, Photo
from gembahall.core.periodic import tick
from gembahall.core.photos import photo_store
from tests import factories as f
from tests.core.test_photos import image_bytes

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def photo(db):
    c = f.center()
    person = f.person(c, f.unit(c))
    upload = SimpleUploadedFile("p.jpg", image_bytes(), content_type="image/jpeg")
    return photo_store(actor=person, center=c, upload=upload)


def test_an_intact_photo_passes_and_the_run_is_audited(photo):
    call_command("check_photos")
    run = Event.objects.get(action="photo.check")
    assert run.after == {"files": 2, "failed": 0}
    assert not Event.objects.filter(action="photo.check_failed").exists()


def test_a_changed_photo_and_a_missing_thumbnail_reach_the_sysadmin_and_the_trail(
    photo,
):
    sysadmin = f.person(photo.center, name="系统管理员")
    f.grant(sysadmin, "sysadmin")
    Path(photo.image.path).write_bytes(b"changed on the disk")
    Path(photo.thumbnail.path).unlink()

    with pytest.raises(SystemExit):
        call_command("check_photos")

    changed, missing = Event.objects.filter(action="photo.check_failed").order_by("id")
    assert changed.target_id == str(photo.public_id)
    assert changed.center_id == photo.center_id
    assert changed.result == Event.Result.FAILED
    assert changed.before == {"file": photo.image.name, "sha256": photo.sha256}
    assert changed.after["sha256"] not in (None, photo.sha256)
    assert missing.after == {
        "file": photo.thumbnail.name,
        "sha256": None,
        "missing": True,
    }
    (note,) = Notification.objects.filter(person=sysadmin)
    assert note.kind == "photo.check_failed"
    assert photo.image.name in note.body and photo.thumbnail.name in note.body
    assert Photo.objects.get(pk=photo.pk).sha256 == photo.sha256


def test_the_daily_check_runs_once_after_its_hour(photo, settings):
    settings.GEMBAHALL_PHOTO_CHECK_AT = "03:00"
    runs = []
    for hour, minute in ((2, 59), (3, 0), (3, 30)):
        moment = datetime(2027, 3, 8, hour, minute, tzinfo=SHANGHAI)
        with time_machine.travel(moment, tick=False):
            runs.append(tick(only=("photo_check",))["photo_check"])
    assert runs == [None, {"files": 2, "failed": 0}, None]


def test_the_migration_hashes_the_thumbnails_already_stored(photo):
    migration = importlib.import_module(
        "gembahall.core.migrations.0006_photo_thumbnail_sha256"
    )
    expected = hashlib.sha256(Path(photo.thumbnail.path).read_bytes()).hexdigest()
    Photo.objects.filter(pk=photo.pk).update(thumbnail_sha256="")

    migration.thumbnails_hash(django_apps, None)

    assert Photo.objects.get(pk=photo.pk).thumbnail_sha256 == expected
