"""Chainable reads of org records, each narrowed through visible_to(person)."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from .scope import path_q


class PeriodQuerySet(models.QuerySet):
    def active(self):
        return self.filter(valid_to__isnull=True)


class CenterQuerySet(models.QuerySet):
    def org_changed(self, center_id: int) -> None:
        """Mark a center's organisation as changed, so cached pages re-render."""
        self.filter(pk=center_id).update(org_version=F("org_version") + 1)

    def visible_to(self, person):
        if person is None:
            return self.none()
        return self.filter(path_q("path", person.scope.all_center_paths()))


class DepartmentQuerySet(PeriodQuerySet):
    def visible_to(self, person):
        if person is None:
            return self.none()
        return self.filter(
            path_q("center__path", person.scope.center_paths("org.view"))
        )


class UnitQuerySet(PeriodQuerySet):
    def visible_to(self, person):
        if person is None or not person.scope.grants:
            return self.none()
        scope = person.scope
        q = path_q("center__path", scope.center_paths("org.view"))
        q |= Q(pk__in=scope.unit_ids("unit.view"))
        if person.unit_id:
            q |= Q(pk=person.unit_id)
        return self.filter(q)

    def windows(self):
        return self.filter(kind__in=["window", "intermediary"])

    def without_liaison(self):
        from .models import RoleAssignment

        liaison = RoleAssignment.objects.filter(
            unit=OuterRef("pk"), role="liaison", valid_to__isnull=True
        )
        return self.windows().active().exclude(Exists(liaison))


class PersonQuerySet(PeriodQuerySet):
    def visible_to(self, person):
        if person is None or not person.scope.grants:
            return self.none()
        scope = person.scope
        q = path_q("center__path", scope.center_paths("org.view"))
        q |= Q(unit_id__in=scope.unit_ids("unit.view"))
        return self.filter(q | Q(pk=person.pk))


class RoleAssignmentQuerySet(PeriodQuerySet):
    def visible_to(self, person):
        if person is None or not person.scope.grants:
            return self.none()
        scope = person.scope
        q = path_q("center__path", scope.center_paths("org.view"))
        q |= Q(unit_id__in=scope.unit_ids("unit.view"))
        return self.filter(q | Q(person=person))


class CommitteeQuerySet(PeriodQuerySet):
    """Committee seats and pairings: visible to whoever sees the center's org."""

    def visible_to(self, person):
        if person is None:
            return self.none()
        return self.filter(
            path_q("center__path", person.scope.center_paths("org.view"))
        )
