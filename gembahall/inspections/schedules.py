"""Scheduled rounds: a plan's cadence opens its rounds by itself.

On each tick (`gembahall tick`) every active plan with a cadence gets the
round of the period it is in, once: the database holds one round per plan and
period start, so a late tick, a repeated one or two at once still make one.
The round's inspections go to the plan's inspectors, the least loaded first;
a round still open after its window reaches the OSM office's head, once.
"""

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from gembahall.core.audit import event_record
from gembahall.core.notify import notify
from gembahall.core.periodic import periodic
from gembahall.core.todo import Todo, todo_provider
from gembahall.org.models import Person
from gembahall.org.osm import osm_office_heads

from .models import Inspection, InspectionPlan, Round
from .services.rounds import round_open

log = logging.getLogger(__name__)

Cadence = InspectionPlan.Cadence
WORKING_WEEK = (0, 1, 2, 3, 4)


def period_start(plan: InspectionPlan, today: date) -> date | None:
    """The start of the plan's period that `today` falls in; None for ad hoc."""
    if plan.cadence == Cadence.DAILY:
        return today
    if plan.cadence == Cadence.WEEKLY:
        weekday = plan.weekdays[0] if plan.weekdays else 0
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    if plan.cadence == Cadence.WEEKDAYS:
        days = set(plan.weekdays or WORKING_WEEK)
        for back in range(7):
            day = today - timedelta(days=back)
            if day.weekday() in days:
                return day
        return None
    if plan.cadence == Cadence.MONTHLY:
        start = today.replace(day=plan.day_of_month)
        if start > today:
            last_month = today.replace(day=1) - timedelta(days=1)
            start = last_month.replace(day=plan.day_of_month)
        return start
    return None


def round_due_on(plan: InspectionPlan, start: date) -> date:
    """The last day of the round's window."""
    return start + timedelta(days=plan.window_days - 1)


@periodic("schedules")
def schedules_run(now=None) -> dict[str, int]:
    """Open the rounds that came due; tell the OSM office about late ones."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    opened = sum(1 for due in _plans_due(today) if _open_once(*due))
    return {"opened": opened, "overdue": rounds_overdue_send(now=now)}


def _plans_due(today: date):
    """Active scheduled plans whose current period has no round yet. A plan's
    first round is of the first period that starts once the plan exists; a
    period whose window has already passed is not opened late."""
    plans = (
        InspectionPlan.objects.filter(is_active=True)
        .exclude(cadence=Cadence.AD_HOC)
        .select_related("center")
    )
    have = set(
        Round.objects.filter(period_start__gte=today - timedelta(days=31)).values_list(
            "plan_id", "period_start"
        )
    )
    for plan in plans:
        start = period_start(plan, today)
        if start is None or start < timezone.localdate(plan.created_at):
            continue
        if round_due_on(plan, start) < today:
            continue  # the period's window passed while no tick ran
        if (plan.pk, start) not in have:
            yield plan, start


def _open_once(plan: InspectionPlan, start: date) -> bool:
    try:
        with transaction.atomic():
            round_schedule_open(plan=plan, start=start)
    except IntegrityError:
        return False  # another tick opened it first
    except ValidationError as error:
        log.warning("plan %s cannot open its round: %s", plan.pk, error.messages)
        return False
    return True


def round_schedule_open(*, plan: InspectionPlan, start: date) -> Round:
    """Open the plan's round of the period starting on `start`, its inspections
    spread over the plan's inspectors."""
    title = _("%(plan)s · %(date)s") % {
        "plan": plan.name,
        "date": date_format(start, "SHORT_DATE_FORMAT"),
    }
    round = round_open(
        plan=plan,
        title=title,
        starts_on=start,
        period_start=start,
        due_on=round_due_on(plan, start),
    )
    assigned = inspections_assign(round=round, inspectors=plan.inspectors.all())
    event_record(
        actor=None,
        action="round.schedule",
        target=round,
        after={"due_on": str(round.due_on), "assigned": assigned},
    )
    for person_pk, count in assigned.items():
        notify(
            Person.objects.filter(pk=person_pk),
            kind="round.assigned",
            title=ngettext(
                "%(round)s: %(n)d inspection to do by %(date)s",
                "%(round)s: %(n)d inspections to do by %(date)s",
                count,
            )
            % {"round": round.title, "n": count, "date": round.due_on},
            url=round.get_absolute_url(),
        )
    return round


def inspections_assign(*, round: Round, inspectors) -> dict[int, int]:
    """Give each unassigned inspection of the round to the inspector with the
    fewest open inspections, in turn; returns how many each person got."""
    people = list(Person.objects.active().filter(pk__in=inspectors).order_by("pk"))
    if not people:
        return {}
    open_work = dict(
        Inspection.objects.filter(state=Inspection.State.DRAFT, inspector__in=people)
        .values("inspector")
        .annotate(n=Count("pk"))
        .values_list("inspector", "n")
    )
    load = {p.pk: open_work.get(p.pk, 0) for p in people}
    given: dict[int, int] = {}
    inspections = list(
        round.inspections.filter(inspector__isnull=True).order_by("tier", "pk")
    )
    for inspection in inspections:
        pk = min(load, key=lambda k: (load[k], k))
        inspection.inspector_id = pk
        load[pk] += 1
        given[pk] = given.get(pk, 0) + 1
    Inspection.objects.bulk_update(inspections, ["inspector"])
    return given


def rounds_overdue_send(*, now) -> int:
    """Tell the OSM office's head about each round past its window with
    inspections still open, once per round; returns how many were sent."""
    today = timezone.localdate(now)
    still_open = Inspection.objects.filter(round=OuterRef("pk"), state="draft")
    late = (
        Round.objects.filter(due_on__lt=today, overdue_sent_at__isnull=True)
        .filter(Exists(still_open))
        .select_related("center")
    )
    sent = 0
    for round in late:
        with transaction.atomic():
            claimed = Round.objects.filter(
                pk=round.pk, overdue_sent_at__isnull=True
            ).update(overdue_sent_at=now)
            if not claimed:
                continue  # another tick sent it
            counts = round.inspections.aggregate(
                open=Count("pk", filter=Q(state="draft")), total=Count("pk")
            )
            heads = osm_office_heads(round.center)
            notify(
                heads,
                kind="round.overdue",
                title=_("Round overdue since %(date)s: %(round)s")
                % {"date": round.due_on, "round": round.title},
                body=_("%(open)d of %(total)d inspections are still open.") % counts,
                url=round.get_absolute_url(),
            )
            event_record(
                actor=None,
                action="round.overdue",
                target=round,
                after={**counts, "told": [p.pk for p in heads]},
            )
            sent += 1
    return sent


@todo_provider("inspections.assigned")
def inspections_to_do(person, center):
    """The person's inspections of scheduled rounds still open, the late part
    being those past their round's window."""
    if not person.has_perm("inspections.perform", center=center):
        return []
    counts = Inspection.objects.filter(
        center=center, inspector=person, state="draft", round__isnull=False
    ).aggregate(
        count=Count("pk"),
        late=Count("pk", filter=Q(round__due_on__lt=timezone.localdate())),
    )
    return [
        Todo(
            kind="inspections.assigned",
            label=_("Inspections to carry out"),
            count=counts["count"],
            late=counts["late"],
            url=reverse("inspections:index") + "?state=draft&mine=1",
            icon="clipboard-check",
        )
    ]


def next_start(plan: InspectionPlan, today: date) -> date | None:
    """The first period start after today; None for ad hoc."""
    current = period_start(plan, today)
    if current is None:
        return None
    for ahead in range(1, 32):
        day = today + timedelta(days=ahead)
        if period_start(plan, day) == day:
            return day
    return None


def schedule_summary(plan: InspectionPlan, today: date) -> str:
    """One line on the plan's page: when its next round opens and how long
    each round stays open, or that rounds are started by hand."""
    upcoming = next_start(plan, today) if plan.is_active else None
    if upcoming is None:
        return _("Rounds of this plan are started by hand.")
    names = [p.name for p in plan.inspectors.all()]
    inspectors = pgettext("list separator", ", ").join(names) or _("nobody yet")
    return _(
        "The next round opens by itself on %(date)s and stays open %(days)d days; "
        "its inspections go to %(inspectors)s."
    ) % {
        "date": date_format(upcoming, "SHORT_DATE_FORMAT"),
        "days": plan.window_days,
        "inspectors": inspectors,
    }
