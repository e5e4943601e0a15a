"""The OSM office (考核督查科 / OSM办公室): the one office of a center that runs
its inspections, and its head, whom late or escalated work reaches.

A center marks its OSM office on the unit's page. Until it does, the office
where the center's inspectors sit stands for it; a center whose inspectors
sit in no office, or whose office has no head, falls back to its directors,
so late work always reaches someone who can act on it.
"""

from .models import Center, Person, RoleAssignment, Unit


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


def osm_office_heads(center) -> list[Person]:
    """Whom late inspection work reaches: the marked OSM office's head; else
    the heads of the offices where the center's inspectors sit; else its
    directors."""
    head = osm_office_head(center)
    if head is not None:
        return [head]
    active = RoleAssignment.objects.active().filter(center=center)
    inspectors = active.filter(role=RoleAssignment.Role.INSPECTOR, unit__isnull=True)
    offices = Unit.objects.active().filter(
        center=center,
        kind=Unit.Kind.OFFICE,
        pk__in=Person.objects.active()
        .filter(pk__in=inspectors.values("person_id"))
        .values("unit_id"),
    )
    heads = list(
        Person.objects.active().filter(pk__in=offices.values("head_id")).order_by("pk")
    )
    if heads:
        return heads
    directors = active.filter(role=RoleAssignment.Role.DIRECTOR, unit__isnull=True)
    return list(
        Person.objects.active()
        .filter(pk__in=directors.values("person_id"))
        .order_by("pk")
    )
