"""Core: the base every app stands on — record identity, audit events, jobs,
permissions and the working-day calendar."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gembahall.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # deferred: checks register when the app is ready
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            photos,  # noqa: F401  (registers the orphan-file job)
        )
