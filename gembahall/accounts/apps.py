"""Accounts: signing in and out, passwords and session limits."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gembahall.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # deferred: receivers import models, loaded once the registry is ready
        from . import otp_signals, sessions, signals  # noqa: F401
