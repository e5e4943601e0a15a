"""Core: the base every app stands on — record identity, audit events, jobs,
permissions and the working-day calendar."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .audit_sql import ensure_sqlite_triggers


class CoreConfig(AppConfig):
    name = "gembahall.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # deferred: checks register when the app is ready
        from . import (  # noqa: F401  (register periodic jobs and checks)
            audit_archive,
            backups,
            checks,
            photo_check,
            photos,
        )

        # A later migration that rebuilds the audit table on SQLite (its way of
        # altering a table) drops the table's triggers with it: put them back.
        post_migrate.connect(ensure_sqlite_triggers, sender=self)
