"""Standards: the visual norms a hall is held to, with their reference photos."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "gembahall.standards"
    label = "standards"
    verbose_name = _("Standards")

    def ready(self):
        # deferred: providers read models, loaded once the registry is ready
        from . import todos  # noqa: F401  (registers the to-do provider)
