"""Rectification: the problems found in the hall, driven to a fix."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gembahall.standards.signals import version_published


class RectificationConfig(AppConfig):
    name = "gembahall.rectification"
    label = "rectification"
    verbose_name = _("Rectification")

    def ready(self):
        # deferred: models load once the app registry is ready
        from . import reminders, todos  # noqa: F401  (register the tick job, to-dos)
        from .improvements import on_version_published

        version_published.connect(on_version_published, dispatch_uid="improvement")
