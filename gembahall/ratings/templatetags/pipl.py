"""The figures the citizens' personal-information notice states."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def phone_retention_days() -> int:
    """Days after the follow-up closes before a citizen's number is erased."""
    return settings.GEMBAHALL_PHONE_RETENTION_DAYS
