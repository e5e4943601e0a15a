"""Reads of problems, improvement cycles and practices, each narrowed through
visible_to(person)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from gembahall.org.models import Pairing
from gembahall.org.querysets import ThroughQuerySet
from gembahall.org.scope import center_wide_q, records_q

# A problem in one of these states waits for its owner; past its deadline it is
# overdue. A submitted fix waits for an inspector and is not the owner's delay.
OWNER_STATES = ("open", "in_progress", "returned")


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, person):
        """The person's scope (whole centers or their units), the problems they
        own or reported, and those of the windows they are paired with."""
        q = records_q(person, "unit_id")
        if q is None:
            return self.none()
        paired = Pairing.objects.active().filter(member=person).values("unit_id")
        return self.filter(
            q | Q(owner=person) | Q(reported_by=person) | Q(unit_id__in=paired)
        )

    def not_closed(self):
        return self.exclude(state=self.model.State.CLOSED)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state__in=OWNER_STATES, deadline__lt=today)


class ProblemStepQuerySet(ThroughQuerySet):
    parent = "problem"


class ImprovementQuerySet(models.QuerySet):
    def visible_to(self, person):
        """Read by everyone working in the center."""
        if person is None:
            return self.none()
        return self.filter(center_wide_q(person))


class ImprovementTaskQuerySet(ThroughQuerySet):
    parent = "improvement"


class PracticeQuerySet(models.QuerySet):
    def visible_to(self, person):
        """Published practices of the person's centers, and the drafts of the
        units they see (the OSM office sees every draft of its center)."""
        q = records_q(person, "unit_id")
        if q is None:
            return self.none()
        return self.filter(
            (Q(state=self.model.State.PUBLISHED) & center_wide_q(person)) | q
        )


class AdoptionQuerySet(ThroughQuerySet):
    """Who adopted a practice is read with the practice."""

    parent = "practice"
