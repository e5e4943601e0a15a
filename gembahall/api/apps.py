"""API: the JSON interface under /api/v1 that calls the same services as the pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "gembahall.api"
    label = "api"
    verbose_name = _("API")
