"""System checks that stop the app from starting in a state that would fail
its users quietly: sessions signed with no key of its own, phone numbers
with no key to encrypt them, or Chinese drawn as empty boxes."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import fonts
from .crypto import KEY_HINT

SECRET_KEY_HINT = (
    "Set SECRET_KEY to a long random string, e.g. the output of "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
    "DEBUG=1 (development) or GEMBAHALL_DEMO=1 (the demo) keep a generated "
    "key in var/secret-key instead."
)


def secret_key_missing() -> bool:
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:
        return True


def field_key_missing() -> bool:
    return len(getattr(settings, "FIELD_ENCRYPTION_KEY", "")) < 16


def require_secret_key() -> None:
    """For servers that run no system checks (gunicorn loading the WSGI app)."""
    if secret_key_missing():
        raise ImproperlyConfigured(f"SECRET_KEY is not set. {SECRET_KEY_HINT}")
    if field_key_missing():
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEY is not set. {KEY_HINT}")


@checks.register(checks.Tags.security)
def field_key_check(app_configs, **kwargs):
    if not field_key_missing():
        return []
    return [
        checks.Error(
            "FIELD_ENCRYPTION_KEY is not set (or shorter than 16 characters).",
            hint=KEY_HINT,
            id="gembahall.E003",
        )
    ]


@checks.register(checks.Tags.security)
def secret_key_check(app_configs, **kwargs):
    if not secret_key_missing():
        return []
    return [
        checks.Error(
            "SECRET_KEY is not set.", hint=SECRET_KEY_HINT, id="gembahall.E001"
        )
    ]


@checks.register()
def cjk_font_check(app_configs, **kwargs):
    try:
        fonts.cjk_font()
    except ImproperlyConfigured:
        return [
            checks.Error(
                "No font with Chinese glyphs was found: drawings and PDFs "
                "would show empty boxes.",
                hint=fonts.HINT,
                id="gembahall.E002",
            )
        ]
    return []


# 等保 2.0 level 3 and the Cybersecurity Law (art. 21) keep logs six months.
MIN_AUDIT_RETENTION_DAYS = 180


@checks.register()
def audit_retention_check(app_configs, **kwargs):
    if settings.AUDIT_RETENTION_DAYS >= MIN_AUDIT_RETENTION_DAYS:
        return []
    return [
        checks.Error(
            f"AUDIT_RETENTION_DAYS is {settings.AUDIT_RETENTION_DAYS}; the audit "
            f"trail must be kept at least {MIN_AUDIT_RETENTION_DAYS} days.",
            id="gembahall.E004",
        )
    ]
