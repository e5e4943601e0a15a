"""Two factors: who needs a one-time code, enrolment, verification, recovery
codes and an administrator's reset, each audited."""

import secrets
from base64 import b32encode

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gembahall.core.audit import event_record
from gembahall.core.models import Event

# 等保 level 3: the people who see the whole center, or administer it, sign in
# with a second factor; everyone else may choose to.
REQUIRED_ROLES = frozenset({"director", "sysadmin", "security_admin", "auditor"})
RECOVERY_CODES = 10
# Set at sign-in when the account has a device: the code is then asked for
# whatever the person's roles (kept in the session so that people without a
# device pay no query per page).
SESSION_ENROLLED = "gemba_otp_enrolled"
TOTP_NAME = "authenticator"
STATIC_NAME = "recovery"


def otp_required(person) -> bool:
    """Whether the person's roles oblige a second factor."""
    return person is not None and bool(person.scope.roles & REQUIRED_ROLES)


def totp_device(user, *, confirmed=True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def otp_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in by hand."""
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no image request, no script)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#212529", light="#ffffff"
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup of our URL


def _person_repr(user) -> str:
    return user.get_username()


def _event(*, actor, user, action, result=Event.Result.OK, after=None):
    event_record(
        actor=actor,
        action=action,
        target_type="accounts.user",
        target_id=str(user.pk),
        target_repr=_person_repr(user),
        after=after,
        result=result,
    )


@transaction.atomic
def otp_enrol_start(*, user) -> TOTPDevice:
    """An unconfirmed device with a new key, or the one already waiting."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def _new_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=STATIC_NAME)
    codes = [_code() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def _code() -> str:
    """Ten characters from a 32-letter alphabet without 0/O or 1/I look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _i in range(10))


@transaction.atomic
def otp_enrol_confirm(*, actor, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with its first code; any older device of the account
    goes, and ten new recovery codes come back to be shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(_clean(token)):
        raise ValidationError(
            {"token": _("The code is wrong or has expired; try the next one.")}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_codes(user)
    _event(actor=actor, user=user, action="otp.enrol")
    return codes


def otp_verify(*, actor, user, token: str):
    """The device that accepts the code: the authenticator's, else a recovery
    code (used up with this). A refused code is audited and raises."""
    token = _clean(token)
    device = totp_device(user)
    if device is not None and device.verify_token(token):
        _event(actor=actor, user=user, action="otp.verify")
        return device
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is not None and recovery.verify_token(token.lower()):
        _event(
            actor=actor,
            user=user,
            action="otp.recovery_use",
            after={"left": recovery.token_set.count()},
        )
        return recovery
    _event(actor=actor, user=user, action="otp.verify", result=Event.Result.FAILED)
    raise ValidationError(
        {"token": _("The code is wrong or has expired; try the next one.")}
    )


@transaction.atomic
def otp_recovery_codes_new(*, actor, user) -> list[str]:
    """Ten fresh recovery codes; the old ones stop working."""
    if not otp_enrolled(user):
        raise ValidationError(_("Set up the authenticator first."))
    codes = _new_codes(user)
    _event(actor=actor, user=user, action="otp.recovery_codes")
    return codes


@transaction.atomic
def otp_reset(*, actor, person) -> None:
    """Remove a person's devices (a lost phone): at the next sign-in they
    enrol again. A security administrator's duty, never on their own account."""
    actor.require("otp.reset", center=person.center)
    if actor.pk == person.pk:
        raise ValidationError(
            _("Another security administrator resets your own two-factor device.")
        )
    if person.user_id is None:
        raise ValidationError(_("This person has no account yet."))
    user = person.user
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    if not removed:
        raise ValidationError(_("This person has no two-factor device."))
    event_record(actor=actor, action="otp.reset", target=person)


def _clean(token: str) -> str:
    return "".join((token or "").split())
