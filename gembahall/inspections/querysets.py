"""Reads of inspection records, each narrowed through visible_to(person)."""

from django.db import models
from django.db.models import Q

from gembahall.org.querysets import CenterWideQuerySet, ThroughQuerySet
from gembahall.org.scope import records_q


class ChecklistQuerySet(CenterWideQuerySet):
    """Read by everyone working in the center, as are plans and rounds."""


class InspectionPlanQuerySet(CenterWideQuerySet):
    pass


class RoundQuerySet(CenterWideQuerySet):
    pass


class ChecklistItemQuerySet(ThroughQuerySet):
    parent = "checklist"


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, person):
        """Whole centers for org.view; a unit's own inspections for its staff;
        and the ones a person inspects or witnesses."""
        q = records_q(person, "unit_id")
        if q is None:
            return self.none()
        units = person.scope.unit_ids("unit.view")
        q |= Q(inspector=person) | Q(witness=person) | Q(by_unit__in=units)
        return self.filter(q)

    def official(self):
        return self.filter(kind=self.model.Kind.OFFICIAL)

    def final(self):
        return self.filter(state=self.model.State.FINAL)


class ItemResultQuerySet(ThroughQuerySet):
    parent = "inspection"
