"""Reads across standards: what applies to a person, who has acknowledged."""

from django.db.models import Prefetch
from django.utils import timezone

from gembahall.org.models import Person, RoleAssignment

from .models import Acknowledgement, Chapter, ReferencePhoto, Standard


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


def todays_dress_code(rows: list[dict]) -> list[Standard]:
    """Of a person's standards (as standards_for gives them), the appearance
    ones whose season covers today."""
    today = timezone.localdate()
    return [
        row["standard"]
        for row in rows
        if row["standard"].chapter == Chapter.APPEARANCE
        and row["standard"].season_from
        and row["standard"].in_season(today)
    ]


def season_swaps(center, day, *, with_photos: bool = False) -> dict[int, Standard]:
    """The seasonal standards of a center that are out of season on `day`, each
    with the published standard of its chapter in season that day: a checklist
    item or a problem that names the summer dress code means the winter one in
    December. Standards without a season are never swapped."""
    seasonal = (
        Standard.objects.filter(center=center, current__isnull=False)
        .exclude(season_from="")
        .order_by("code")
    )
    if with_photos:
        photos = ReferencePhoto.objects.select_related("photo").order_by("position")
        seasonal = seasonal.select_related("current").prefetch_related(
            Prefetch("current__photos", queryset=photos)
        )
    seasonal = list(seasonal)
    in_force = [s for s in seasonal if s.in_season(day)]
    swaps = {}
    for standard in seasonal:
        if standard in in_force:
            continue
        same_chapter = [s for s in in_force if s.chapter == standard.chapter]
        if same_chapter:
            swaps[standard.pk] = same_chapter[0]
    return swaps


def in_force_id(standard_id: int | None, swaps: dict) -> int | None:
    """The id of the standard meant by `standard_id` on the swaps' day."""
    return swaps[standard_id].pk if standard_id in swaps else standard_id


def _staff(center) -> tuple[list, dict]:
    """The active people of a center (those without an account cannot
    acknowledge yet, and are shown as such), and their active roles."""
    people = list(
        Person.objects.active()
        .filter(center=center)
        .select_related("unit")
        .order_by("unit__code", "staff_number")
    )
    roles: dict[int, set[str]] = {}
    for person_id, role in (
        RoleAssignment.objects.active()
        .filter(person__center=center, person__valid_to__isnull=True)
        .values_list("person_id", "role")
    ):
        roles.setdefault(person_id, set()).add(role)
    return people, roles


def _covered(standard: Standard, people, roles) -> list:
    return [
        p
        for p in people
        if standard.applies_to(
            unit_kind=p.unit.kind if p.unit_id else None,
            unit_id=p.unit_id,
            roles=roles.get(p.pk, set()),
        )
    ]


def acknowledgement_progress(standard: Standard) -> dict:
    """Who the current version applies to, and who has not acknowledged it."""
    covered = _covered(standard, *_staff(standard.center))
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


def acknowledgement_overview(center) -> list[dict]:
    """Each published standard with how many people it covers and how many have
    acknowledged its current version, in a fixed number of queries."""
    standards = list(published_standards(center))
    people, roles = _staff(center)
    acks: dict[int, set[int]] = {}
    for version_id, person_id in Acknowledgement.objects.filter(
        version_id__in=[s.current_id for s in standards]
    ).values_list("version_id", "person_id"):
        acks.setdefault(version_id, set()).add(person_id)
    rows = []
    for standard in standards:
        covered = {p.pk for p in _covered(standard, people, roles)}
        done = len(covered & acks.get(standard.current_id, set()))
        rows.append(
            {
                "standard": standard,
                "covered": len(covered),
                "acknowledged": done,
                "missing": len(covered) - done,
            }
        )
    return rows
