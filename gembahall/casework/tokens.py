"""Per-center API keys for queue systems and rating pads. The key is shown
once; only its SHA-256 is stored, so a copy of the database reveals none."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from gembahall.core.audit import event_record

from .models import ApiToken, Source

PREFIX = "gh_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, source: Source, name: str) -> tuple[ApiToken, str]:
    """A new key for a source system; returns the token and the key itself."""
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        center=source.center,
        source=source,
        name=name,
        prefix=key[:10],
        digest=_digest(key),
    )
    event_record(actor=actor, action="api_token.create", target=token)
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    event_record(actor=actor, action="api_token.revoke", target=token)


def token_check(key: str) -> ApiToken | None:
    """The live token a key belongs to, or None."""
    if not key.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("source", "center")
        .filter(digest=_digest(key), revoked_at__isnull=True)
        .first()
    )
    if token is not None and (
        token.last_used_at is None
        or timezone.now() - token.last_used_at > timezone.timedelta(minutes=5)
    ):
        # Written at most every five minutes, so a busy pad costs no writes.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
