"""Reads of the base records, each narrowed through visible_to(person)."""

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q

from gembahall.org.scope import center_wide_q, path_q, records_q

from .audit_chain import seal
from .audit_syslog import forward

# The one kind of job the system administrator reads beside their own.
ROSTER_JOB = "roster_import"


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, person):
        """Photos of the centers a person oversees, of the units they work in,
        and the center-wide photos of their centers."""
        q = records_q(person, "unit_id")
        if q is None:
            return self.none()
        # Photos of no unit (a standard's reference photos) belong to the center.
        return self.filter(q | (Q(unit__isnull=True) & center_wide_q(person)))


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class JobQuerySet(models.QuerySet):
    def visible_to(self, person):
        """Background work of the centers whose jobs the person reads, the
        roster imports of the centers whose roster they import, and the work
        they started themselves."""
        if person is None:
            return self.none()
        scope = person.scope
        paths = scope.center_paths("jobs.view")
        rosters = Q(kind=ROSTER_JOB) & path_q(
            "center__path", scope.center_paths("org.import")
        )
        return self.filter(
            path_q("center__path", paths) | rosters | Q(created_by=person)
        )


class EventQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Append events in one write, each sealed into its center's chain."""
        objs = list(objs)
        with transaction.atomic(savepoint=False):
            seal(objs)
            created = super().bulk_create(objs, *args, **kwargs)
            forward(created)
            return created

    def visible_to(self, person):
        """Events of the centers where the person may read the trail; events
        with no center (failed sign-ins of unknown names) belong to the
        top-level centers."""
        paths = person.scope.center_paths("audit.view") if person else []
        if not paths:
            return self.none()
        centers = apps.get_model("org", "Center").objects.filter(path_q("path", paths))
        q = Q(center_id__in=centers.values("pk"))
        if any(p.count("/") == 1 for p in paths):
            q |= Q(center_id__isnull=True)
        return self.filter(q)
