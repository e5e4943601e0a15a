"""The OSM office (考核督查科 / OSM办公室): the one office of a center that runs
its inspections, and its head, whom late or escalated work reaches."""

from .models import Center, Person, Unit


def osm_office(center: Center) -> Unit | None:
    """The center's active office marked as its OSM office, or None."""
    return (
        Unit.objects.active()
        .filter(center=center, is_osm_office=True)
        .select_related("head")
        .first()
    )


def osm_office_head(center: Center) -> Person | None:
    """The OSM office's head: the person named head of the office, else its
    active leader (the roster's 是否负责人); None when there is no OSM office
    or nobody heads it."""
    office = osm_office(center)
    if office is None:
        return None
    if office.head_id and office.head.is_active:
        return office.head
    return (
        Person.objects.active()
        .filter(unit=office, is_leader=True)
        .order_by("staff_number")
        .first()
    )
