"""Notifications: the in-app notification center, and e-mail once an SMTP
server is configured (sent after the transaction commits). An item that starts
waiting on someone tells them through notify_holders(), in the transaction of
the change that made it wait."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from gembahall.accounts.models import User
from gembahall.org.models import Person, RoleAssignment

from .models import Notification
from .permissions import ROLE_PERMISSIONS

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


def holders(perm: str, *, center, unit=None):
    """Active people holding `perm` over the center (a role at it or at a
    center above it), or over the unit when one is given."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
    parts = center.path.split("/")[:-1]
    paths = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    where = Q(unit__isnull=True, center__path__in=paths)
    if unit is not None:
        where |= Q(unit=unit)
    grants = RoleAssignment.objects.active().filter(where, role__in=roles)
    return Person.objects.active().filter(pk__in=grants.values("person_id"))


def notify_holders(
    perm: str,
    *,
    center,
    unit=None,
    exclude=(),
    kind: str,
    title: str,
    url: str,
    body: str = "",
) -> int:
    """Tell everyone who may act on a new waiting item — the holders of
    `perm` — except `exclude` (usually the person whose change it was)."""
    skip = {p.pk for p in exclude if p is not None}
    people = [p for p in holders(perm, center=center, unit=unit) if p.pk not in skip]
    return notify(people, kind=kind, title=title, url=url, body=body)


def _mail_after_commit(people, title: str, body: str, url: str) -> None:
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
