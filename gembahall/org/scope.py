"""What a person may see and do: their active roles, resolved once per request."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import cached_property

from gembahall.core.permissions import ADMIN_ROLES, ROLE_PERMISSIONS

SESSION_CENTER_KEY = "gemba_center"


@dataclass(frozen=True)
class Grant:
    role: str
    center_id: int
    center_path: str
    unit_id: int | None


class Scope:
    def __init__(self, grants: list[Grant]):
        self.grants = grants

    @classmethod
    def for_person(cls, person) -> "Scope":
        if person.valid_to is not None:
            return cls([])
        rows = person.roles.active().values_list(
            "role", "center_id", "center__path", "unit_id"
        )
        return cls([Grant(*row) for row in rows])

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    @cached_property
    def working(self) -> "Scope":
        """The business roles alone: what reaches business records. The three
        administrators (三员) hold none, so they read no problem, inspection,
        rating or photo whatever else they hold."""
        return Scope([g for g in self.grants if g.role not in ADMIN_ROLES])

    def grants_with(self, perm: str) -> list[Grant]:
        """The person's grants whose role carries the permission."""
        return [g for g in self.grants if perm in ROLE_PERMISSIONS.get(g.role, ())]

    def centers_with(self, perm: str) -> set[int]:
        """Ids of the centers where the permission is held, center-wide or at
        any one of the center's units."""
        return {g.center_id for g in self.grants_with(perm)}

    def allows(self, perm: str, *, center=None, unit=None) -> bool:
        grants = self.grants_with(perm)
        if center is None and unit is None:
            return bool(grants)
        if unit is not None:
            center = unit.center
        for grant in grants:
            if grant.unit_id is None:
                if center.path.startswith(grant.center_path):
                    return True
            elif unit is not None and unit.pk == grant.unit_id:
                return True
        return False

    def center_paths(self, perm: str) -> list[str]:
        """Paths of centers where the permission covers the whole center tree."""
        return sorted(
            {g.center_path for g in self.grants_with(perm) if g.unit_id is None}
        )

    def unit_ids(self, perm: str) -> set[int]:
        """Units where the permission is held through a role at the unit."""
        return {g.unit_id for g in self.grants_with(perm) if g.unit_id is not None}

    def all_center_paths(self) -> list[str]:
        return sorted({g.center_path for g in self.grants})


def path_q(field: str, paths: list[str]) -> Q:
    """Match rows whose center path starts with any of the given paths."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def center_wide_q(person, field: str = "center__path") -> Q:
    """Business rows of every center where the person holds a business role:
    records the whole center reads (standards, checklists, plans)."""
    return path_q(field, person.scope.working.all_center_paths())


def _org_q(scope: Scope, unit_field: str | None) -> Q | None:
    if not scope.grants:
        return None
    q = path_q("center__path", scope.center_paths("org.view"))
    if unit_field:
        q |= Q(**{f"{unit_field}__in": scope.unit_ids("unit.view")})
    return q


def scope_q(person, unit_field: str | None = None) -> Q | None:
    """Rows a person may see in the org: whole centers where they hold org.view
    and, through `unit_field`, the units where they hold unit.view. None when the
    person holds no role at all."""
    return None if person is None else _org_q(person.scope, unit_field)


def records_q(person, unit_field: str | None = None) -> Q | None:
    """Business rows (problems, inspections, ratings, photos) a person may see:
    as scope_q, through their business roles only. None for a person holding
    none, an administrator among them."""
    return None if person is None else _org_q(person.scope.working, unit_field)


def attach_scope(request) -> None:
    """Set request.person and request.center for a signed-in user."""
    # deferred: org.models imports this module (through its querysets)
    from .models import Center, Person

    try:
        person = request.user.person
    except Person.DoesNotExist:
        person = None
    if person is not None and person.valid_to is not None:
        person = None
    request.person = person
    if person is None:
        return
    centers = list(Center.objects.visible_to(person))
    request.visible_centers = centers
    chosen = request.session.get(SESSION_CENTER_KEY)
    by_id = {str(c.public_id): c for c in centers}
    if chosen in by_id:
        request.center = by_id[chosen]
    elif centers:
        request.center = min(centers, key=lambda c: (c.depth, c.path))
    else:
        request.center = None
