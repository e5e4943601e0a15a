"""Writing audit events: called inside the same transaction as the change."""

import contextvars
from typing import Any

from django.db import models

from .crypto import audit_mark
from .models import Event

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_ip", default=None
)


def snapshot(obj: models.Model | None) -> dict[str, Any] | None:
    """A JSON snapshot of a record's concrete fields, for before/after. A
    personal field (a phone number) is kept as a keyed fingerprint: two
    snapshots show that the number changed, neither shows the number."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"id", "created_at", "updated_at", "password"}:
            continue
        value = field.value_from_object(obj)
        if getattr(field, "personal", False):
            data[field.name] = audit_mark(value or "")
            continue
        data[field.name] = (
            value if isinstance(value, int | float | bool | None) else str(value)
        )
    return data


def event_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    center_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    result: str = Event.Result.OK,
) -> Event:
    """Append one event. `actor` is a Person, or None for the system."""
    event = _event(
        actor=actor,
        action=action,
        target=target,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        center_id=center_id,
        before=before,
        after=after,
        result=result,
    )
    event.save(force_insert=True)
    return event


def events_record(*, actor: Any, action: str, changes) -> list[Event]:
    """Append one event per (target, after) pair of `changes`, in one write:
    the same action done to many records at once."""
    return Event.objects.bulk_create(
        _event(actor=actor, action=action, target=target, after=after)
        for target, after in changes
    )


def _event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    center_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    result: str = Event.Result.OK,
) -> Event:
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(getattr(target, "public_id", target.pk))
        target_repr = target_repr or str(target)
        if center_id is None:
            center_id = getattr(target, "center_id", None)
    if center_id is None and actor is not None:
        center_id = getattr(actor, "center_id", None)
    return Event(
        center_id=center_id,
        actor_id=getattr(actor, "pk", None),
        actor_name=str(actor) if actor is not None else "system",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr[:300],
        before=before,
        after=after,
        result=result,
        ip=current_ip.get(),
    )


def changes(before: dict | None, after: dict | None) -> tuple[dict, dict]:
    """Only the fields that differ, for a compact before/after pair."""
    before, after = before or {}, after or {}
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
