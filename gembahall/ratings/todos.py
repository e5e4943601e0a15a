"""What bad ratings leave waiting (registered in RatingsConfig.ready): the
window's head and liaison call back and make the return visit once the fix is
closed; the director and the OSM office, who follow up for the whole center,
see the calls that are late and decide the windows' appeals. The window head's
home page also carries the window's rating card."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.home import home_panel
from gembahall.core.todo import Todo, todo_provider
from gembahall.org.models import Unit

from .models import Appeal, FollowUp


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


@todo_provider("ratings.appeal")
def appeals_to_decide(person, center):
    if not person.has_perm("ratings.exclude", center=center):
        return []
    n = Appeal.objects.filter(center=center, state=Appeal.State.PENDING).count()
    return [
        Todo(
            kind="ratings.appeal",
            label=_("Windows' appeals against ratings to decide"),
            count=n,
            url=f"{reverse('ratings:list')}?show=appeal",
            icon="shield-exclamation",
        )
    ]


@todo_provider("ratings.visit")
def visits_due(person, center):
    """Return visits fall due when the rating's rectification closes."""
    units = person.scope.unit_ids("ratings.followup")
    if not units:
        return []
    n = FollowUp.objects.filter(
        center=center,
        rating__window_id__in=units,
        rating__excluded_at__isnull=True,
        problem__closed_on__isnull=False,
        visited_at__isnull=True,
    ).count()
    return [
        Todo(
            kind="ratings.visit",
            label=_("Return visits (回访) due after a fix"),
            count=n,
            url=f"{reverse('ratings:list')}?show=visit",
            icon="telephone-forward",
        )
    ]


@home_panel("ratings.card", "ratings/_home_card.html")
def own_cards(person, center):
    """The rating card of each window the person heads, to print."""
    units = person.scope.unit_ids("ratings.card")
    if not units:
        return None
    windows = list(
        Unit.objects.active()
        .filter(pk__in=units, center=center, kind__in=Unit.WINDOW_KINDS)
        .order_by("code")
    )
    return {"windows": windows} if windows else None
