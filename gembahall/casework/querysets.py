"""Reads of casework records, each narrowed through visible_to(person)."""

from django.db import models
from django.db.models import Q

from gembahall.org.querysets import (
    CenterWideQuerySet,
    PermissionQuerySet,
    ThroughQuerySet,
)
from gembahall.org.scope import path_q


class ServiceItemQuerySet(CenterWideQuerySet):
    """The catalogue is read by everyone working in the center."""


class SourceQuerySet(PermissionQuerySet):
    """Record sources and their API keys: for whoever imports the records."""

    perm = "service.import"


class ApiTokenQuerySet(PermissionQuerySet):
    perm = "service.import"


class TicketQuerySet(PermissionQuerySet):
    """The center's tickets for the readers of its service figures; a window's
    own tickets for its head and liaison."""

    perm = "service.view"
    unit_field = "window_id"
    unit_perm = "service.unit"


class TicketEventQuerySet(ThroughQuerySet):
    parent = "ticket"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, person):
        """The center's cases for whoever reads its service figures; otherwise
        the cases of the windows the person belongs to or heads."""
        if person is None:
            return self.none()
        scope = person.scope
        windows = scope.unit_ids("service.unit") | scope.unit_ids("cases.notice")
        return self.filter(
            path_q("center__path", scope.center_paths("service.view"))
            | Q(window_id__in=windows)
        )


class NoticeQuerySet(ThroughQuerySet):
    parent = "case"


class FirstInquiryQuerySet(models.QuerySet):
    def visible_to(self, person):
        """The center's log for whoever reads its service figures; the
        inquiries a person answered themselves."""
        if person is None:
            return self.none()
        paths = person.scope.center_paths("service.view")
        return self.filter(path_q("center__path", paths) | Q(answered_by=person))


class AgentRequestQuerySet(models.QuerySet):
    def visible_to(self, person):
        """The agent desk serves the whole hall: every request of a center for
        its agents, at whichever window they hold the role, and for whoever
        reads the center's service figures."""
        if person is None:
            return self.none()
        scope = person.scope
        return self.filter(
            path_q("center__path", scope.center_paths("service.view"))
            | Q(center_id__in=scope.centers_with("agent.serve"))
        )


class AgentStepQuerySet(ThroughQuerySet):
    parent = "request"


class StatQuerySet(PermissionQuerySet):
    """Stored rollups: for the readers of the center's service figures."""

    perm = "service.view"
