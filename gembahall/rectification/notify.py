"""Notifications: the in-app notification center, and e-mail once an SMTP
server is configured (sent after the transaction commits)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from gembahall.core.models import Notification

log = logging.getLogger(__name__)


def notify(people, *, kind: str, title: str, url: str, body: str = "") -> int:
    """Tell each person once (duplicates in `people` are dropped)."""
    unique = {p.pk: p for p in people if p is not None and p.is_active}
    Notification.objects.bulk_create(
        Notification(person_id=pk, kind=kind, title=title, body=body, url=url)
        for pk in unique
    )
    if settings.GEMBAHALL_EMAIL_REMINDERS:
        _mail_after_commit(list(unique.values()), title, body, url)
    return len(unique)


def _mail_after_commit(people, title: str, body: str, url: str) -> None:
    from gembahall.accounts.models import User

    user_ids = [p.user_id for p in people if p.user_id]
    addresses = list(
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not addresses:
        return
    base = getattr(settings, "GEMBAHALL_SITE_URL", "")
    text = "\n\n".join(part for part in (body, base + url) if part)

    def send():
        for address in addresses:
            try:
                send_mail(title, text, None, [address])
            except OSError:
                # The in-app notification is already there; a mail server that
                # is down must not fail the job.
                log.warning("reminder mail to %s failed", address, exc_info=True)

    transaction.on_commit(send)
