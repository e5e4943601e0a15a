from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gembahall.reports"
    label = "reports"
    verbose_name = _("Service KPIs and reports")

    def ready(self):
        # deferred: the panel reads models, loaded once the registry is ready
        from . import glance  # noqa: F401  (registers the director's home panel)
