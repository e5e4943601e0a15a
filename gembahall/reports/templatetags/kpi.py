from django import template

register = template.Library()


@register.filter
def pct(value, digits=1):
    """0.1234 → 12.3%; None → —."""
    if value is None or value == "":
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def mins(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:.1f}"


@register.filter
def num(value, digits=1):
    if value is None or value == "":
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{int(digits)}f}"
