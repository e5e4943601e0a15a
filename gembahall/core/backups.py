"""Backups that restore: a consistent snapshot of the database and a copy of
the media files, with a manifest of their SHA-256 sums, written to one
timestamped directory per backup; restoring checks every sum before it
changes anything.

The database is snapshotted first and the media copied after it: a photo's
file is written before its row commits, so every photo in the snapshot has
its file in the copy (a photo added meanwhile leaves only an unused file)."""

import shutil
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.org.models import Center

from .audit import event_record
from .backup_files import (
    PREFIX,
    STAMP,
    Backup,
    BackupError,
    backup_dir,
    backup_resolve,
    backup_verify,
    backups_list,
    backups_prune,
    copy_media,
    locked,
    restore_database,
    restore_media,
    snapshot_database,
    write_manifest,
)
from .models import Event
from .notify import notify_holders
from .periodic import periodic


def backup_create(*, keep: int | None = None) -> Backup:
    """Snapshot the database and copy the media into a new backup directory,
    then remove the oldest backups beyond `keep` (the setting by default)."""
    folder = backup_dir()
    media = Path(settings.MEDIA_ROOT).resolve()
    if folder.resolve().is_relative_to(media):
        raise BackupError(_("The backup directory must not be inside MEDIA_ROOT."))
    with locked(folder):
        created_at = timezone.now()
        name = PREFIX + timezone.localtime(created_at).strftime(STAMP)
        final = folder / name
        if final.exists():
            raise BackupError(_("A backup named %(name)s exists.") % {"name": name})
        draft = folder / f".{name}.partial"
        shutil.rmtree(draft, ignore_errors=True)
        draft.mkdir(mode=0o700)
        try:
            database = snapshot_database(draft)
            copy_media(draft)
            manifest = write_manifest(draft, database, created_at)
            # A backup appears under its name whole or not at all.
            draft.rename(final)
        except BaseException:
            shutil.rmtree(draft, ignore_errors=True)
            raise
        backup = Backup(final, manifest)
        backups_prune(keep=settings.GEMBAHALL_BACKUP_KEEP if keep is None else keep)
    event_record(
        actor=None,
        action="backup.create",
        target_type="backup",
        target_id=name,
        target_repr=name,
        after={"files": len(manifest["files"]), "vendor": manifest["vendor"]},
    )
    return backup


def backup_restore(name: str) -> Backup:
    """Check the backup, then replace the database and the media with it."""
    folder = backup_dir()
    with locked(folder):
        backup = backup_verify(backup_resolve(name))
        if backup.manifest["vendor"] != connection.vendor:
            raise BackupError(
                _("The backup is of a %(backup)s database; this one is %(this)s.")
                % {"backup": backup.manifest["vendor"], "this": connection.vendor}
            )
        restore_database(backup)
        restore_media(backup)
    event_record(
        actor=None,
        action="backup.restore",
        target_type="backup",
        target_id=backup.name,
        target_repr=backup.name,
        after={"created_at": backup.manifest["created_at"]},
    )
    return backup


def daily_due(now: datetime, at: str, last: datetime | None) -> bool:
    """Whether a daily job set for local time `at` ("HH:MM") is due."""
    if not at:
        return False
    hour, minute = (int(part) for part in at.split(":"))
    local = timezone.localtime(now)
    today = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return local >= today and (last is None or last < today)


def _last_attempt() -> datetime | None:
    """When the last backup was made, or the last scheduled one failed."""
    done = backups_list()
    made = None
    if done:
        stamp = datetime.strptime(done[-1].name.removeprefix(PREFIX), STAMP)
        made = timezone.make_aware(stamp)
    failed = (
        Event.objects.filter(action="backup.create", result=Event.Result.FAILED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return max((t for t in (made, failed) if t is not None), default=None)


@transaction.atomic
def _report_failure(error: Exception) -> None:
    text = str(error)[:1000]
    event_record(
        actor=None,
        action="backup.create",
        target_type="backup",
        after={"error": text},
        result=Event.Result.FAILED,
    )
    for root in Center.objects.filter(parent__isnull=True):
        # The permission that marks the system administrator, who keeps the server.
        notify_holders(
            "accounts.manage",
            center=root,
            kind="backup.failed",
            title=_("The daily backup failed"),
            body=text,
            url="",
        )


@periodic("backup")
def backup_scheduled(now: datetime) -> dict | None:
    """The daily backup, at GEMBAHALL_BACKUP_AT, keeping the newest
    GEMBAHALL_BACKUP_KEEP. A failed one is tried again the next day, or by
    hand with `gembahall backup`; the system administrators are told."""
    if not daily_due(now, settings.GEMBAHALL_BACKUP_AT, _last_attempt()):
        return None
    try:
        backup = backup_create()
    except Exception as error:
        _report_failure(error)
        raise
    return {"backup": backup.name, "files": len(backup.manifest["files"])}
