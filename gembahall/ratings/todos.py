"""Bad ratings waiting for their call back (registered in RatingsConfig.ready):
the window's head and liaison call back; the director and the OSM office,
who follow up for the whole center, see the calls that are late."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.todo import Todo, todo_provider

from .models import FollowUp


@todo_provider("ratings.callback")
def callbacks_due(person, center):
    today = timezone.localdate()
    waiting = FollowUp.objects.filter(
        center=center, called_back_at__isnull=True, rating__excluded_at__isnull=True
    )
    url = f"{reverse('ratings:list')}?show=callback"
    if person.has_perm("ratings.exclude", center=center):
        late = waiting.filter(callback_due__lt=today).count()
        return [
            Todo(
                kind="ratings.callback_late",
                label=_("Bad ratings not called back in time"),
                count=late,
                late=late,
                url=url,
                icon="telephone-x",
            )
        ]
    units = person.scope.unit_ids("ratings.followup")
    if not units:
        return []
    counts = waiting.filter(rating__window_id__in=units).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(callback_due__lt=today))
    )
    return [
        Todo(
            kind="ratings.callback",
            label=_("Bad ratings to call back"),
            count=counts["n"],
            late=counts["late"],
            url=url,
            icon="telephone",
        )
    ]
