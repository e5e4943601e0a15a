"""Reads across standards: what applies to a person, who has acknowledged."""

from django.db.models import Prefetch
from django.utils import timezone

from gembahall.org.models import Person, RoleAssignment

from .models import Acknowledgement, ReferencePhoto, Standard


def person_profile(person) -> dict:
    """What applicability is decided on: the person's unit kind, unit and roles."""
    return {
        "unit_kind": person.unit.kind if person.unit_id else None,
        "unit_id": person.unit_id,
        "roles": person.scope.roles,
    }


def published_standards(center):
    """A center's published standards with their current version and photos."""
    photos = ReferencePhoto.objects.select_related("photo").order_by("position")
    return (
        Standard.objects.filter(center=center, current__isnull=False)
        .select_related("current")
        .prefetch_related("units", Prefetch("current__photos", queryset=photos))
    )


def standards_for(person, center) -> list[dict]:
    """The published standards that apply to a person, each with whether they
    have acknowledged its current version."""
    profile = person_profile(person)
    standards = [s for s in published_standards(center) if s.applies_to(**profile)]
    acked = set(
        Acknowledgement.objects.filter(
            person=person, version__in=[s.current_id for s in standards]
        ).values_list("version_id", flat=True)
    )
    return [{"standard": s, "acknowledged": s.current_id in acked} for s in standards]


def todays_dress_code(person, center) -> list[Standard]:
    """Appearance standards whose season covers today."""
    today = timezone.localdate()
    profile = person_profile(person)
    return [
        s
        for s in published_standards(center).filter(chapter="5.1")
        if s.season_from and s.in_season(today) and s.applies_to(**profile)
    ]


def acknowledgement_progress(standard: Standard) -> dict:
    """Who the current version applies to, and who has not acknowledged it."""
    people = list(
        Person.objects.active()
        .filter(center=standard.center, user__isnull=False)
        .select_related("unit")
        .order_by("unit__code", "staff_number")
    )
    roles: dict[int, set[str]] = {}
    for person_id, role in (
        RoleAssignment.objects.active()
        .filter(person__in=people)
        .values_list("person_id", "role")
    ):
        roles.setdefault(person_id, set()).add(role)
    covered = [
        p
        for p in people
        if standard.applies_to(
            unit_kind=p.unit.kind if p.unit_id else None,
            unit_id=p.unit_id,
            roles=roles.get(p.pk, set()),
        )
    ]
    acked = dict(
        Acknowledgement.objects.filter(version_id=standard.current_id).values_list(
            "person_id", "created_at"
        )
    )
    return {
        "covered": len(covered),
        "acknowledged": [(p, acked[p.pk]) for p in covered if p.pk in acked],
        "missing": [p for p in covered if p.pk not in acked],
    }
