"""Inspections: checklists scored against the standards, round by round."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "gembahall.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        # deferred: models load once the app registry is ready
        from . import schedules  # noqa: F401  (registers the tick job and to-dos)
        from .problems import register

        register()
