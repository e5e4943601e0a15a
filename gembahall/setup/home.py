"""The first-run card on the home page of the OSM office and the director:
shown while the center lacks checklists, standards or a service catalogue."""

from gembahall.core.home import home_panel

from .services import center_content, center_needs_setup


@home_panel("setup.first_run", "setup/_first_run_card.html")
def first_run_card(person, center) -> dict | None:
    if not (
        person.has_perm("center.setup", center=center)
        or person.has_perm("standards.publish", center=center)
    ):
        return None
    if not center_needs_setup(center):
        return None
    return {"content": center_content(center)}
