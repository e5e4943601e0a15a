"""Retention of the audit trail: events older than `AUDIT_RETENTION_DAYS`
move to a signed archive file and only then leave the database.

An archive is a JSON-lines file under `AUDIT_ARCHIVE_DIR`: a header line,
one line per event with its hashes, and a last line with the SHA-256 and the
HMAC (audit key) of everything above it. Per chain a signed `EventArchive`
record keeps the file's name and sum and the hash of the last archived
event, from which the chain in the database goes on, so `audit-verify`
still proves each chain whole after archiving.

Each run takes, per chain, the oldest events up to the first one still
within the retention (a contiguous start of the chain), at most `limit` of
them; the periodic job runs it every tick and it costs one query when
nothing is due.
"""

import hashlib
import hmac
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit_chain import (
    NO_CENTER,
    archive_signature,
    audit_key,
    chain_key,
    content,
    digest,
    lock_head,
)
from .audit_sql import unlocked
from .checks import MIN_AUDIT_RETENTION_DAYS
from .models import Event, EventArchive
from .periodic import periodic

FORMAT = "gembahall-audit-archive"
LINKS = {"id", "prev_hash", "hash"}


def archive_dir() -> Path:
    return Path(settings.AUDIT_ARCHIVE_DIR)


def _old_events(key: int, cutoff: datetime, limit: int) -> list[Event]:
    center = None if key == NO_CENTER else key
    chain = Event.objects.filter(center_id=center).order_by("id")
    young = chain.filter(at__gte=cutoff).values_list("id", flat=True).first()
    if young is not None:
        chain = chain.filter(id__lt=young)
    return list(chain[:limit])


def _write(path: Path, header: dict, events: list[Event]) -> str:
    """Write the file beside its final name, flush it to disk, then rename:
    a file under the final name is always complete."""
    lines = [json.dumps(header, ensure_ascii=False)]
    for event in events:
        record = {"id": event.id, "prev_hash": event.prev_hash, "hash": event.hash}
        record.update(content(event))
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    body = ("\n".join(lines) + "\n").encode()
    sha = hashlib.sha256(body).hexdigest()
    mac = hmac.new(audit_key(), body, hashlib.sha256).hexdigest()
    trailer = json.dumps({"sha256": sha, "hmac": mac}).encode() + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    with open(temporary, "wb") as out:
        out.write(body + trailer)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return hashlib.sha256(body + trailer).hexdigest()


def events_archive(now: datetime | None = None, *, limit: int = 20000) -> dict:
    """Move the events past the retention to one new archive file; answers
    how many were archived and the file's name."""
    now = now or timezone.now()
    days = max(settings.AUDIT_RETENTION_DAYS, MIN_AUDIT_RETENTION_DAYS)
    cutoff = now - timedelta(days=days)
    if not Event.objects.filter(at__lt=cutoff).exists():
        return {"archived": 0}
    with transaction.atomic():
        keys = sorted(
            {
                chain_key(c)
                for c in Event.objects.filter(at__lt=cutoff)
                .values_list("center_id", flat=True)
                .distinct()
                .order_by()
            }
        )
        chains = {}
        for key in keys:
            lock_head(key)
            if events := _old_events(key, cutoff, limit):
                chains[key] = events
        if not chains:
            return {"archived": 0}
        events = [e for key in sorted(chains) for e in chains[key]]
        name = f"audit-{now:%Y%m%dT%H%M%S}-{events[0].id}.jsonl"
        header = {
            "format": FORMAT,
            "version": 1,
            "created_at": now.isoformat(),
            "retention_days": days,
            "chains": {
                str(key): {"first_prev_hash": chain[0].prev_hash, "count": len(chain)}
                for key, chain in chains.items()
            },
        }
        file_sha = _write(archive_dir() / name, header, events)
        for key, chain in chains.items():
            row = EventArchive(
                center_key=key,
                file_name=name,
                file_sha256=file_sha,
                first_id=chain[0].id,
                last_id=chain[-1].id,
                count=len(chain),
                last_hash=chain[-1].hash,
            )
            row.signature = archive_signature(row)
            row.save()
        with unlocked():
            Event.objects.filter(id__in=[e.id for e in events]).delete()
    return {"archived": len(events), "file": name}


@periodic("audit_archive")
def archive_due(now: datetime) -> dict:
    return events_archive(now)


def verify_archive_file(path: Path) -> int:
    """Check an archive's signature and every event's hash and link; answer
    the number of events, or raise ValueError saying what is wrong."""
    data = path.read_bytes()
    body, _newline, trailer = data.rstrip(b"\n").rpartition(b"\n")
    body += b"\n"
    try:
        seal = json.loads(trailer)
        lines = [json.loads(line) for line in body.splitlines()]
    except json.JSONDecodeError as error:
        raise ValueError(_("not an archive file")) from error
    mac = hmac.new(audit_key(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(seal.get("hmac", ""), mac):
        raise ValueError(_("the signature does not match the file"))
    header, records = lines[0], lines[1:]
    if header.get("format") != FORMAT:
        raise ValueError(_("not an archive file"))
    heads = {key: chain["first_prev_hash"] for key, chain in header["chains"].items()}
    for record in records:
        key = str(chain_key(record["center_id"]))
        values = {k: v for k, v in record.items() if k not in LINKS}
        if record["prev_hash"] != heads.get(key) or record["hash"] != digest(
            record["prev_hash"], values
        ):
            raise ValueError(
                _("event %(id)s does not match its hash") % {"id": record["id"]}
            )
        heads[key] = record["hash"]
    return len(records)
