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

from .models import Appeal, FollowUp


@todo_provider("ratings.callback")
def callbacks_due(person, center):
    """Calls, return visits and appeals, each role's read in one query."""
    today = timezone.localdate()
    followups = FollowUp.objects.filter(center=center)
    waiting = Q(called_back_at__isnull=True, rating__excluded_at__isnull=True)
    url = reverse("ratings:list")
    if person.has_perm("ratings.exclude", center=center):
        # Every appealed rating is a bad one, so it has its follow-up.
        counts = followups.aggregate(
            late=Count("pk", filter=waiting & Q(callback_due__lt=today)),
            appeals=Count("pk", filter=Q(rating__appeal__state=Appeal.State.PENDING)),
        )
        return [
            Todo(
                kind="ratings.callback_late",
                label=_("Bad ratings not called back in time"),
                count=counts["late"],
                late=counts["late"],
                url=f"{url}?show=callback",
                icon="telephone-x",
            ),
            Todo(
                kind="ratings.appeal",
                label=_("Windows' appeals against ratings to decide"),
                count=counts["appeals"],
                url=f"{url}?show=appeal",
                icon="shield-exclamation",
            ),
        ]
    units = person.scope.unit_ids("ratings.followup")
    if not units:
        return []
    # A return visit falls due when the rating's rectification closes.
    visit = Q(
        rating__excluded_at__isnull=True,
        problem__closed_on__isnull=False,
        visited_at__isnull=True,
    )
    counts = followups.filter(rating__window_id__in=units).aggregate(
        n=Count("pk", filter=waiting),
        late=Count("pk", filter=waiting & Q(callback_due__lt=today)),
        visits=Count("pk", filter=visit),
    )
    return [
        Todo(
            kind="ratings.callback",
            label=_("Bad ratings to call back"),
            count=counts["n"],
            late=counts["late"],
            url=f"{url}?show=callback",
            icon="telephone",
        ),
        Todo(
            kind="ratings.visit",
            label=_("Return visits (回访) due after a fix"),
            count=counts["visits"],
            url=f"{url}?show=visit",
            icon="telephone-forward",
        ),
    ]


@home_panel("ratings.card", "ratings/_home_card.html")
def own_cards(person, center):
    """A link to print the rating card of the windows the person heads; read
    from the roles already loaded, so the home page costs no more queries."""
    return {} if person.scope.unit_ids("ratings.card") else None
