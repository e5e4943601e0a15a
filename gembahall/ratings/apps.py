from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "gembahall.ratings"
    label = "ratings"
    verbose_name = _("Citizen ratings (好差评)")

    def ready(self):
        # deferred: models load once the app registry is ready
        from gembahall.rectification.models import Problem

        from . import todos  # noqa: F401  (registers the to-do providers)
        from .followups import on_problem_saved

        post_save.connect(on_problem_saved, sender=Problem, dispatch_uid="rating_fix")
