from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SetupConfig(AppConfig):
    name = "gembahall.setup"
    label = "setup"
    verbose_name = _("Center setup")

    def ready(self):
        # deferred: the panel reads models, loaded once the registry is ready
        from . import home  # noqa: F401  (registers the first-run home panel)
