"""The login account; the person behind it lives in org.Person."""

from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _

# Names no enabled account may take: they are the first guesses of any attacker.
RESERVED_USERNAMES = frozenset({"admin", "root", "administrator", "superuser"})


class User(AbstractUser):
    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
