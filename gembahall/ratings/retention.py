"""Citizens' numbers left with a rating are erased a set number of days after
their follow-up closes: the return visit made, the rating excluded on appeal,
or the call back made when no rectification followed; a rating that needed
no follow-up counts from the day it was given."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from gembahall.core.periodic import periodic
from gembahall.core.retention import phones_erase

from .models import Rating


def rating_phones_due(now):
    cutoff = now - timedelta(days=settings.GEMBAHALL_PHONE_RETENTION_DAYS)
    return Rating.objects.exclude(phone="").filter(
        Q(followup__isnull=True, created_at__lt=cutoff)
        | Q(followup__visited_at__lt=cutoff)
        | Q(excluded_at__lt=cutoff)
        | Q(followup__problem__isnull=True, followup__called_back_at__lt=cutoff)
    )


@periodic("ratings.phone_erase")
def rating_phones_erase(now=None) -> int:
    return phones_erase(
        rating_phones_due(now or timezone.now()), label="ratings.rating"
    )
