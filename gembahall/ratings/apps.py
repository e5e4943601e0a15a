from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "gembahall.ratings"
    label = "ratings"
    verbose_name = _("Citizen ratings (好差评)")

    def ready(self):
        # deferred: the engine's registry is filled once the apps are ready
        from gembahall.rectification.sources import state_listener

        from . import retention, todos  # noqa: F401  (the tick job, the to-dos)
        from .followups import on_problem_state

        state_listener("ratings")(on_problem_state)
