"""The first-run card on the home page of the OSM office and the director:
shown while the center lacks checklists, standards or a service catalogue,
and to the director while loaded standards wait as drafts."""

from gembahall.core.home import home_panel

from .services import center_content, center_needs_setup


@home_panel("setup.first_run", "setup/_first_run_card.html")
def first_run_card(person, center) -> dict | None:
    can_publish = person.has_perm("standards.publish", center=center)
    if not (can_publish or person.has_perm("center.setup", center=center)):
        return None
    if center_needs_setup(center):
        return {"content": center_content(center), "needs_setup": True}
    content = center_content(center)
    if can_publish and content["drafts"]:
        return {"content": content, "needs_setup": False}
    return None
