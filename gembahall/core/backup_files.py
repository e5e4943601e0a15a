"""The files of a backup: the database snapshot (the sqlite3 backup API, or
pg_dump's custom format), the copy of the media files, and the manifest of
their SHA-256 sums that restoring checks before it changes anything."""

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "gembahall-"
STAMP = "%Y%m%d-%H%M%S"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["created_at"])


def backup_dir() -> Path:
    return Path(settings.GEMBAHALL_BACKUP_DIR)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _digest(body: dict) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _pg_tool(name: str) -> str:
    folder = settings.GEMBAHALL_PG_BIN
    tool = str(Path(folder) / name) if folder else shutil.which(name)
    if not tool or not Path(tool).exists():
        raise BackupError(
            _(
                "%(tool)s was not found: install the PostgreSQL client or set "
                "GEMBAHALL_PG_BIN."
            )
            % {"tool": name}
        )
    return tool


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(command: list[str], **kwargs) -> None:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": done.stderr.strip()[-2000:]}
        )


def snapshot_database(target: Path) -> str:
    """Write the database to `target`'s folder; returns the file's name."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        out = sqlite3.connect(target / SQLITE_FILE)
        try:
            # The backup API reads a consistent snapshot while the app keeps
            # writing (WAL): no lock on the hall's work.
            connection.connection.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--file", str(target / PG_FILE)],
            env=_pg_env(),
        )
        return PG_FILE
    raise BackupError(_("Backups support SQLite and PostgreSQL only."))


def copy_media(target: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if not media.is_dir():
        return
    for source in sorted(media.rglob("*")):
        if source.is_file() and not source.is_symlink():
            copy = target / "media" / source.relative_to(media)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)


def write_manifest(target: Path, database: str, created_at: datetime) -> dict:
    files = {
        path.relative_to(target).as_posix(): {
            "sha256": _sha256(path),
            "size": path.stat().st_size,
        }
        for path in sorted(target.rglob("*"))
        if path.is_file()
    }
    body = {
        "format": FORMAT,
        "created_at": created_at.isoformat(),
        "vendor": connection.vendor,
        "database": database,
        "files": files,
    }
    manifest = {**body, "digest": _digest(body)}
    (target / MANIFEST).write_text(
        json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False)
    )
    return manifest


@contextlib.contextmanager
def locked(folder: Path):
    """One backup or restore at a time; a second one is refused, not queued."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (folder / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(_("Another backup or restore is running.")) from None
        yield


def backups_list() -> list[Path]:
    """The complete backups in the backup directory, oldest first."""
    folder = backup_dir()
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.name.startswith(PREFIX) and (path / MANIFEST).is_file()
    )


def backups_prune(*, keep: int) -> list[str]:
    """Remove the oldest backups beyond the newest `keep`; returns their names."""
    if keep < 1:
        return []
    old = backups_list()[:-keep]
    for path in old:
        shutil.rmtree(path)
    return [path.name for path in old]


def backup_resolve(name: str) -> Path:
    """A backup named by its path, or by its name in the backup directory."""
    path = Path(name)
    if not path.is_dir() and not path.is_absolute():
        path = backup_dir() / name
    if not path.is_dir():
        raise BackupError(_("No backup at %(path)s.") % {"path": name})
    return path


def backup_verify(path: Path) -> Backup:
    """Check the manifest and every file's SHA-256 against it; raise
    BackupError naming what is wrong, reading only."""
    try:
        manifest = json.loads((path / MANIFEST).read_text())
        body = {k: v for k, v in manifest.items() if k != "digest"}
        intact = manifest["digest"] == _digest(body) and manifest["format"] == FORMAT
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        intact = False
    if not intact:
        raise BackupError(
            _("The backup's manifest is missing or damaged: %(path)s")
            % {"path": path / MANIFEST}
        )
    problems = []
    for rel, meta in manifest["files"].items():
        file = path / rel
        if not file.is_file():
            problems.append(_("missing: %(file)s") % {"file": rel})
        elif _sha256(file) != meta["sha256"]:
            problems.append(_("changed: %(file)s") % {"file": rel})
    present = {
        p.relative_to(path).as_posix()
        for p in path.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    for rel in sorted(present - set(manifest["files"])):
        problems.append(_("not in the manifest: %(file)s") % {"file": rel})
    if problems:
        raise BackupError(
            _("The backup is damaged and was not restored: %(problems)s")
            % {"problems": "; ".join(problems[:20])}
        )
    return Backup(path, manifest)


def restore_database(backup: Backup) -> None:
    file = backup.path / backup.manifest["database"]
    if connection.in_atomic_block:
        raise BackupError("restore cannot run inside a transaction")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            # The same API in reverse replaces every page of the live database
            # in one step, under its write lock.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    # One transaction: the schema is emptied and the dump loaded, or nothing.
    connection.close()
    script = subprocess.Popen(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", file],
        stdout=subprocess.PIPE,
        env=_pg_env(),
    )
    try:
        _run(
            [_pg_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction"]
            + ["-v", "ON_ERROR_STOP=1"]
            + ["-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"]
            + ["-f", "-"],
            stdin=script.stdout,
            env=_pg_env(),
        )
    finally:
        script.stdout.close()
        script.wait()


def restore_media(backup: Backup) -> None:
    """Make MEDIA_ROOT hold exactly the backup's files: copy what differs,
    remove what the backup does not have."""
    media = Path(settings.MEDIA_ROOT)
    wanted = {
        rel.removeprefix("media/"): meta
        for rel, meta in backup.manifest["files"].items()
        if rel.startswith("media/")
    }
    for rel, meta in wanted.items():
        target = media / rel
        if target.is_file() and _sha256(target) == meta["sha256"]:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        draft = target.with_name(f".{target.name}.restoring")
        shutil.copy2(backup.path / "media" / rel, draft)
        os.replace(draft, target)
    if media.is_dir():
        for path in media.rglob("*"):
            rel = path.relative_to(media).as_posix()
            if (path.is_file() or path.is_symlink()) and rel not in wanted:
                path.unlink()
