"""The login account; the person behind it lives in org.Person."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import uuid7

# Names no enabled account may take: they are the first guesses of any attacker.
RESERVED_USERNAMES = frozenset({"admin", "root", "administrator", "superuser"})


class User(AbstractUser):
    password_changed_at = models.DateTimeField(
        _("password changed at"), default=timezone.now
    )
    password_temporary = models.BooleanField(
        _("temporary password"),
        default=False,
        help_text=_("Set by an administrator: to be changed at the next sign-in."),
    )
    password_never_expires = models.BooleanField(
        _("password never expires"), default=False
    )

    # Whether the password given to set_password() is temporary; save()
    # stamps it with the time, so a rehash of the same password (which saves
    # without going through set_password's caller) leaves both untouched.
    _password_temporary = False

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def save(self, *args, **kwargs):
        if self._password is not None:
            self.password_changed_at = timezone.now()
            self.password_temporary = self._password_temporary
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "password_changed_at",
                    "password_temporary",
                }
        super().save(*args, **kwargs)

    def set_password(self, raw_password, *, temporary: bool = False):
        """A temporary password (set by an administrator) must be changed at
        the next sign-in and stops working after PASSWORD_TEMPORARY_HOURS."""
        super().set_password(raw_password)
        self._password_temporary = temporary

    def temporary_password_expired(self, now=None) -> bool:
        lifetime = timedelta(hours=settings.PASSWORD_TEMPORARY_HOURS)
        return self.password_temporary and (
            (now or timezone.now()) - self.password_changed_at > lifetime
        )

    def password_too_old(self, now=None) -> bool:
        days = settings.PASSWORD_MAX_AGE_DAYS
        if self.password_never_expires or days <= 0:
            return False
        return (now or timezone.now()) - self.password_changed_at > timedelta(days=days)

    def password_change_reason(self) -> str:
        """Why the person must change the password before anything else:
        "temporary", "expired", or "" when nothing is due."""
        if self.password_temporary:
            return "temporary"
        if self.password_too_old():
            return "expired"
        return ""


class PasswordHistory(models.Model):
    """The hashes of an account's recent passwords, so none is used again."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name=_("account"),
    )
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class SignedInSessionQuerySet(models.QuerySet):
    def visible_to(self, person):
        """A person sees only the sessions of their own account."""
        if person is None or person.user_id is None:
            return self.none()
        return self.filter(user_id=person.user_id)


class SignedInSession(models.Model):
    """One signed-in session of an account, kept beside the session store so
    that the person can see and end their sessions and the number of them
    stays capped."""

    public_id = models.UUIDField(
        _("public id"), default=uuid7, unique=True, editable=False
    )
    session_key = models.CharField(_("session key"), max_length=64, unique=True)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
        verbose_name=_("account"),
    )
    signed_in_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    objects = SignedInSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["signed_in_at", "id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.signed_in_at:%Y-%m-%d %H:%M}"
