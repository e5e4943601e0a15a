"""Reads of citizens' ratings, each narrowed through visible_to(person)."""

from django.db import models

from gembahall.org.querysets import ThroughQuerySet
from gembahall.org.scope import records_q


class RatingQuerySet(models.QuerySet):
    def visible_to(self, person):
        """Ratings of the centers a person oversees and of the windows they
        work in."""
        q = records_q(person, "window_id")
        return self.none() if q is None else self.filter(q)


class FollowUpQuerySet(ThroughQuerySet):
    parent = "rating"


class AppealQuerySet(ThroughQuerySet):
    """A window's appeal: seen by whoever sees the rating it is against."""

    parent = "rating"


class RatingStatQuerySet(RatingQuerySet):
    """The stored rollup of ratings, read as the ratings themselves are."""
