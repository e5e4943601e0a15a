"""Sign-in successes, failures and sign-outs go to the audit trail."""

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver
from django.utils import timezone

from gembahall.core.audit import event_record
from gembahall.core.models import Event

from .middleware import LAST_SEEN_AT, SIGNED_IN_AT


def _person(user):
    return getattr(user, "person", None) if user is not None else None


@receiver(user_logged_in)
def on_signed_in(sender, request, user, **kwargs):
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    person = _person(user)
    event_record(
        actor=person,
        action="auth.sign_in",
        target_type="accounts.user",
        target_id=str(user.pk),
        target_repr=user.get_username(),
    )


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    event_record(
        actor=None,
        action="auth.sign_in",
        target_type="accounts.user",
        target_repr=str(credentials.get("username", ""))[:150],
        result=Event.Result.FAILED,
    )


@receiver(user_logged_out)
def on_signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    event_record(
        actor=_person(user),
        action="auth.sign_out",
        target_type="accounts.user",
        target_id=str(user.pk),
        target_repr=user.get_username(),
    )
