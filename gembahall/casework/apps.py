from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "gembahall.casework"
    label = "casework"
    verbose_name = _("window service records")

    def ready(self):
        from . import retention  # noqa: F401  (registers the tick job)
