"""Rectification: the problems found in the hall, driven to a fix."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "gembahall.rectification"
    label = "rectification"
    verbose_name = _("Rectification")
