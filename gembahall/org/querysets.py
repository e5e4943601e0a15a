"""Chainable reads of org records, each narrowed through visible_to(person)."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from .scope import center_wide_q, path_q, scope_q


class CenterWideQuerySet(models.QuerySet):
    """Records everyone holding a role in their center reads; what a person may
    do with them is a matter of permission."""

    def visible_to(self, person):
        if person is None:
            return self.none()
        return self.filter(center_wide_q(person))


class PermissionQuerySet(models.QuerySet):
    """Rows of the centers where the person holds `perm` center-wide and,
    through `unit_field`, rows of the units where they hold `unit_perm`."""

    perm: str = ""
    unit_field: str | None = None
    unit_perm: str = ""

    def visible_to(self, person):
        if person is None:
            return self.none()
        scope = person.scope.working
        q = path_q("center__path", scope.center_paths(self.perm))
        if self.unit_field:
            units = scope.unit_ids(self.unit_perm or self.perm)
            q |= Q(**{f"{self.unit_field}__in": units})
        return self.filter(q)


class ThroughQuerySet(models.QuerySet):
    """Rows that belong to another record (a step of a problem, an item of a
    checklist): visible exactly when that record is."""

    parent: str = ""

    def visible_to(self, person):
        owner = self.model._meta.get_field(self.parent).related_model
        return self.filter(
            **{f"{self.parent}__in": owner.objects.visible_to(person).values("pk")}
        )


class PeriodQuerySet(models.QuerySet):
    def active(self):
        return self.filter(valid_to__isnull=True)


class CenterQuerySet(models.QuerySet):
    def org_changed(self, center_id: int) -> None:
        """Mark a center's organisation as changed, so cached pages re-render."""
        self.filter(pk=center_id).update(org_version=F("org_version") + 1)

    def service_changed(self, center_ids) -> None:
        """Mark centers' service rollups as changed, so cached reports
        recompute."""
        self.filter(pk__in=center_ids).update(service_version=F("service_version") + 1)

    def visible_to(self, person):
        """The centers where the person holds any role, an administrator's
        too: the center switch and the org tree name them."""
        if person is None:
            return self.none()
        return self.filter(path_q("path", person.scope.all_center_paths()))


class ScopedQuerySet(PeriodQuerySet):
    """Org rows a person may see: whole centers where they hold org.view, the
    units where they hold unit.view (through `unit_field`), and their own rows."""

    unit_field: str | None = None

    def own(self, person) -> Q:
        return Q(pk__in=[])

    def visible_to(self, person):
        q = scope_q(person, self.unit_field)
        return self.none() if q is None else self.filter(q | self.own(person))


class DepartmentQuerySet(ScopedQuerySet):
    pass


class CommitteeQuerySet(ScopedQuerySet):
    """Committee seats and pairings."""


class UnitQuerySet(ScopedQuerySet):
    unit_field = "pk"

    def own(self, person) -> Q:
        return Q(pk=person.unit_id) if person.unit_id else Q(pk__in=[])

    def windows(self):
        return self.filter(kind__in=self.model.WINDOW_KINDS)

    def without_liaison(self):
        # RoleAssignment through its relation: org.models imports this module.
        roles = self.model.role_assignments.field.model
        liaison = roles.objects.filter(
            unit=OuterRef("pk"),
            role=roles.Role.LIAISON,
            valid_to__isnull=True,
        )
        return self.windows().active().exclude(Exists(liaison))


class UnitVersionQuerySet(ThroughQuerySet):
    parent = "unit"


class PersonQuerySet(ScopedQuerySet):
    unit_field = "unit_id"

    def own(self, person) -> Q:
        return Q(pk=person.pk)

    def trail_actors(self, person):
        """Everyone with an account in the centers whose trail the person may
        read: the people the trail can be filtered by."""
        paths = person.scope.center_paths("audit.view")
        return self.filter(path_q("center__path", paths), user__isnull=False)


class RoleAssignmentQuerySet(ScopedQuerySet):
    unit_field = "unit_id"

    def own(self, person) -> Q:
        return Q(person=person)
