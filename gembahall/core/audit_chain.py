"""The audit trail's hash chains: one chain per center, each event sealed with
a keyed hash over its content and the hash of the center's previous event.

Changing, removing or reordering an event breaks its chain at that event,
which `gembahall audit-verify` names. The hash is keyed (HMAC-SHA256 with
`AUDIT_KEY`), so someone who can write to the database but does not hold the
key cannot re-seal a chain after changing it.

Each center has its own chain so that audited writes of different centers
never wait on one another: sealing locks only that center's chain head (a
transaction-scoped advisory lock on PostgreSQL; SQLite serialises writes by
itself, every transaction taking the write lock at BEGIN).
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

# Events with no center (a refused sign-in of an unknown name) form one chain.
NO_CENTER = 0
# The advisory-lock namespace of the chain heads (any constant, fixed forever).
LOCK_NAMESPACE = 0x6175_6474  # "audt"
HASHED_FIELDS = (
    "at",
    "center_id",
    "actor_id",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "before",
    "after",
    "result",
    "ip",
)


def audit_key() -> bytes:
    """The chain's key: `AUDIT_KEY` when set, else one derived from the
    SECRET_KEY. Either must stay the same for the life of the trail."""
    key = getattr(settings, "AUDIT_KEY", "") or (
        "gembahall.audit-chain:" + settings.SECRET_KEY
    )
    return hashlib.sha256(key.encode()).digest()


def _json(value: Any) -> Any:
    """The value as it reads back from a JSON column (tuples become lists,
    keys become strings), so the hash is the same before and after storing."""
    return None if value is None else json.loads(json.dumps(value))


def content(event) -> dict[str, Any]:
    """The hashed fields of an event, as plain JSON values."""
    from .models import Event  # deferred: models import this module

    at = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    ip = Event._meta.get_field("ip").get_prep_value(event.ip) or None
    values = {name: getattr(event, name) for name in HASHED_FIELDS}
    values.update(at=at, ip=ip, before=_json(event.before), after=_json(event.after))
    return values


def digest(prev_hash: str, values: dict[str, Any]) -> str:
    """HMAC-SHA256 over the previous hash and the canonical JSON content."""
    body = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    message = f"v1\n{prev_hash}\n{body}".encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def chain_key(center_id: int | None) -> int:
    return NO_CENTER if center_id is None else center_id


def lock_head(key: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, key]
            )


def _head_hash(key: int) -> str:
    from .models import Event  # deferred: models import this module

    center = None if key == NO_CENTER else key
    last = (
        Event.objects.filter(center_id=center)
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
    )
    if last is not None:
        return last
    return archived_head(key)


def archive_signature(row) -> str:
    """The HMAC of an archive record, so nobody without the key can move the
    point the chain goes on from."""
    message = "|".join(
        str(v)
        for v in (
            row.center_key,
            row.file_name,
            row.file_sha256,
            row.first_id,
            row.last_id,
            row.count,
            row.last_hash,
        )
    )
    return hmac.new(audit_key(), message.encode(), hashlib.sha256).hexdigest()


def _last_archive(key: int):
    from .models import EventArchive  # deferred: models import this module

    return EventArchive.objects.filter(center_key=key).order_by("-last_id").first()


def archived_head(key: int) -> str:
    """The hash of the chain's last archived event, or "" when none was."""
    row = _last_archive(key)
    return row.last_hash if row else ""


def seal(events: Iterable) -> None:
    """Give each new event its previous hash and its own. Runs inside the
    transaction that inserts them, right before the insert."""
    by_chain: dict[int, list] = {}
    for event in events:
        by_chain.setdefault(chain_key(event.center_id), []).append(event)
    # Heads are locked in one order, so two writers never wait on each other.
    for key in sorted(by_chain):
        lock_head(key)
        prev = _head_hash(key)
        for event in by_chain[key]:
            event.prev_hash = prev
            event.hash = prev = digest(prev, content(event))


@dataclass(frozen=True)
class Break:
    """The first event at which a chain stops being what was written."""

    center_key: int
    event_id: int | None
    reason: str


def chain_keys() -> list[int]:
    from .models import Event, EventArchive  # deferred: models import this module

    keys = {
        chain_key(c)
        for c in Event.objects.values_list("center_id", flat=True).distinct().order_by()
    }
    keys |= set(EventArchive.objects.values_list("center_key", flat=True))
    return sorted(keys)


def verify_chain(key: int, *, batch: int = 2000) -> tuple[int, Break | None]:
    """Walk one chain from its first kept event; answer how many events were
    checked and the first break, if any."""
    from .models import Event  # deferred: models import this module

    center = None if key == NO_CENTER else key
    archive = _last_archive(key)
    expected = archive.last_hash if archive else ""
    if archive and not hmac.compare_digest(
        archive.signature, archive_signature(archive)
    ):
        return 0, Break(key, None, _("the archive record does not match its signature"))
    checked = 0
    for event in _in_order(Event.objects.filter(center_id=center), batch):
        if event.prev_hash != expected:
            reason = _("the previous event's hash does not match")
            return checked, Break(key, event.id, reason)
        if not hmac.compare_digest(event.hash, digest(expected, content(event))):
            reason = _("its content does not match its hash")
            return checked, Break(key, event.id, reason)
        expected = event.hash
        checked += 1
    return checked, None


def _in_order(queryset, batch: int) -> Iterator:
    last = 0
    while True:
        rows = list(queryset.filter(id__gt=last).order_by("id")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].id
