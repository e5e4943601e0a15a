"""Org: the centers, units, people and roles a hall is made of."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "gembahall.org"
    label = "org"
    verbose_name = _("Organisation")
