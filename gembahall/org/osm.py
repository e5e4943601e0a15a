"""Who "the OSM office's head" is at a center.

The OSM office is the office where the center's inspectors sit (考核督查科 at
most centers); its head is the head of that office unit. A center whose
inspectors sit in no office, or whose office has no head, falls back to its
directors, so a late round always reaches someone who can act on it.
"""

from .models import Person, RoleAssignment, Unit


def osm_office_heads(center) -> list[Person]:
    """The active heads of the center's OSM office, or else its directors."""
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
