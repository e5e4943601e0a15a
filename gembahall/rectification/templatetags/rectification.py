"""A problem's state badge, drawn in one call (lists show dozens of them)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

COLOURS = {
    "closed": "text-bg-success",
    "submitted": "text-bg-info",
    "returned": "text-bg-danger",
}


@register.simple_tag
def state_badge(problem):
    badge = format_html(
        '<span class="badge {}" data-testid="problem-state">{}</span>',
        COLOURS.get(problem.state, "text-bg-warning"),
        problem.get_state_display(),
    )
    if problem.is_overdue:
        badge += format_html(
            ' <span class="badge text-bg-danger" data-testid="overdue">{}</span>',
            _("overdue"),
        )
    return badge
