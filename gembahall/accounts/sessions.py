"""An account's signed-in sessions: tracked at sign-in, capped in number
(a new sign-in ends the oldest), listed to their person and ended on request.

A row of SignedInSession stands beside each session of the configured
session engine; whether a session still lives is read from the engine
itself, so sessions ended by a time limit, a sign-out or a new password drop
out of the list without any bookkeeping of their own."""

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare

from gembahall.core.audit import event_record
from gembahall.core.middleware import client_ip

from .middleware import LAST_SEEN_AT, SIGNED_IN_AT
from .models import SignedInSession


def _store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


@dataclass(frozen=True)
class LiveSession:
    row: SignedInSession
    last_seen_at: datetime | None


def _seen(data: dict, name: str) -> float | None:
    value = data.get(name)
    return value if isinstance(value, int | float) else None


def _live(row: SignedInSession, user, now: float) -> LiveSession | None:
    """The session as the engine holds it, or None when it has ended."""
    data = _store(row.session_key).load()
    if data.get(SESSION_KEY) != str(user.pk) or not constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return None
    signed_in = _seen(data, SIGNED_IN_AT) or now
    last_seen = _seen(data, LAST_SEEN_AT) or signed_in
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    if now - last_seen > idle or now - signed_in > absolute:
        return None
    return LiveSession(row, datetime.fromtimestamp(last_seen, tz=UTC))


def sessions_live(user, current_key: str | None = None) -> list[LiveSession]:
    """The account's sessions still in force, oldest first; rows of ended
    ones are dropped on the way. The current session lives (its store may not
    hold the sign-in yet, which is saved with the response)."""
    now = datetime.now(tz=UTC)
    live, ended = [], []
    for row in SignedInSession.objects.filter(user=user):
        if row.session_key == current_key:
            session = LiveSession(row, now)
        else:
            session = _live(row, user, now.timestamp())
        (live if session else ended).append(session or row)
    if ended:
        SignedInSession.objects.filter(pk__in=[r.pk for r in ended]).delete()
    return live


def _end(row: SignedInSession, *, actor, reason: str) -> None:
    _store().delete(row.session_key)
    row.delete()
    event_record(
        actor=actor,
        action="auth.session_end",
        target_type="accounts.session",
        target_id=str(row.public_id),
        target_repr=row.user.get_username(),
        after={"reason": reason},
    )


@transaction.atomic
def session_end(*, actor, session: SignedInSession) -> None:
    """End one of the actor's own sessions: it is signed out at its next
    request."""
    _end(session, actor=actor, reason="ended_by_person")


def _cap(user, current_key: str, actor) -> None:
    live = [s.row for s in sessions_live(user, current_key)]
    others = [r for r in live if r.session_key != current_key]
    extra = len(live) - settings.SESSION_CAP
    for row in others[: max(extra, 0)]:
        _end(row, actor=actor, reason="session_cap")


def session_rekey(old_key: str | None, new_key: str | None) -> None:
    """Follow a session whose key changed while it stays signed in (a new
    password rotates the key of the session that set it)."""
    if old_key and new_key and old_key != new_key:
        SignedInSession.objects.filter(session_key=old_key).update(session_key=new_key)


@receiver(user_logged_in, dispatch_uid="accounts.sessions.track")
def on_signed_in(sender, request, user, **kwargs):
    """Record the new session and end the oldest beyond the cap: a sign-in is
    never refused for the sessions open elsewhere."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    SignedInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
    )
    _cap(user, key, getattr(user, "person", None))


@receiver(user_logged_out, dispatch_uid="accounts.sessions.untrack")
def on_signed_out(sender, request, user, **kwargs):
    key = request.session.session_key if request is not None else None
    if key:
        SignedInSession.objects.filter(session_key=key).delete()
