"""The sections apps add to the home page: each registers a panel here, and
the home page (in reports, which gathers every app's figures) lists them
without knowing the apps."""

from collections.abc import Callable

# Sections an app above the base adds to the home page: name → (template,
# function of person and center answering the template's data, or None).
_panels: dict[str, tuple[str, Callable]] = {}


def home_panel(name: str, template: str):
    """Register a home-page section; it renders `template` with `panel` set to
    what the function answers, and is left out when it answers None."""

    def decorator(build: Callable) -> Callable:
        _panels[name] = (template, build)
        return build

    return decorator


def panels_for(person, center) -> list[dict]:
    if center is None:
        return []
    panels = []
    for name, (template, build) in _panels.items():
        data = build(person, center)
        if data is not None:
            panels.append({"name": name, "template": template, "data": data})
    return panels
