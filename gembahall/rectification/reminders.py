"""The reminder job (run by `gembahall tick`, or alone by `gembahall remind`):
tells owners a few working days before a deadline and everyone responsible
once it has passed.
Each reminder is recorded under a unique key first, so running the job twice,
or two copies at once, sends nothing twice. Directors and paired committee
members get one message per run listing the problems that became overdue."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gembahall.core.audit import event_record
from gembahall.core.notify import notify
from gembahall.core.periodic import periodic
from gembahall.core.workdays import add_working_days
from gembahall.org.models import Pairing, RoleAssignment

from .models import OWNER_STATES, Problem, Reminder


def _liaisons(unit_ids) -> dict[int, list]:
    out: dict[int, list] = {}
    for a in (
        RoleAssignment.objects.active()
        .filter(
            unit_id__in=unit_ids,
            role__in=(RoleAssignment.Role.LIAISON, RoleAssignment.Role.WINDOW_HEAD),
        )
        .select_related("person")
    ):
        out.setdefault(a.unit_id, []).append(a.person)
    return out


def _overseers(problems) -> dict[int, list]:
    """Per problem: the directors of its center and the committee members
    paired with its window."""
    unit_ids = {p.unit_id for p in problems}
    directors = [
        (a.center.path, a.person)
        for a in RoleAssignment.objects.active()
        .filter(role=RoleAssignment.Role.DIRECTOR, unit__isnull=True)
        .select_related("person", "center")
    ]
    paired: dict[int, list] = {}
    for pairing in (
        Pairing.objects.active().filter(unit_id__in=unit_ids).select_related("member")
    ):
        paired.setdefault(pairing.unit_id, []).append(pairing.member)
    return {
        p.pk: [d for path, d in directors if p.center.path.startswith(path)]
        + paired.get(p.unit_id, [])
        for p in problems
    }


def _send_once(problem: Problem, kind: str, people, title: str) -> int:
    """Record the reminder and tell the people; 0 when it was sent before."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                problem=problem, kind=kind, deadline=problem.deadline
            )
            sent = notify(
                people,
                kind=f"problem.{kind}",
                title=title,
                body=problem.description[:200],
                url=problem.get_absolute_url(),
            )
            event_record(
                actor=None,
                action=f"problem.remind_{kind}",
                target=problem,
                after={"people": sent},
            )
    except IntegrityError:
        return 0
    return 1


@periodic("reminders")
def remind(now=None) -> dict[str, int]:
    """Send the reminders that are due; returns how many problems got one."""
    today = timezone.localdate(now or timezone.now())
    horizon = add_working_days(today, settings.GEMBAHALL_REMIND_DAYS_BEFORE).date
    waiting = Problem.objects.filter(
        state__in=OWNER_STATES, deadline__isnull=False, deadline__lte=horizon
    ).select_related("unit", "owner", "center")
    already = set(
        Reminder.objects.filter(problem__in=waiting.values("pk")).values_list(
            "problem_id", "kind", "deadline"
        )
    )
    todo = []
    for problem in waiting:
        overdue = problem.deadline < today
        kind = Reminder.Kind.OVERDUE if overdue else Reminder.Kind.DUE_SOON
        if (problem.pk, kind, problem.deadline) not in already:
            todo.append((problem, kind))
    liaisons = _liaisons({p.unit_id for p, _k in todo})
    overseers = _overseers([p for p, k in todo if k == Reminder.Kind.OVERDUE])
    counts = {"due_soon": 0, "overdue": 0}
    digests: dict[int, tuple] = {}
    for problem, kind in todo:
        people = [problem.owner, *liaisons.get(problem.unit_id, [])]
        if kind == Reminder.Kind.OVERDUE:
            title = _("Overdue since %(date)s: %(problem)s (%(unit)s)")
        else:
            title = _("Due on %(date)s: %(problem)s (%(unit)s)")
        title %= {"date": problem.deadline, "problem": problem, "unit": problem.unit}
        sent = _send_once(problem, kind, people, title)
        counts[kind] += sent
        if sent and kind == Reminder.Kind.OVERDUE:
            for person in overseers.get(problem.pk, []):
                digests.setdefault(person.pk, (person, []))[1].append(problem)
    for person, problems in digests.values():
        notify(
            [person],
            kind="problem.overdue_digest",
            title=ngettext(
                "%(n)d problem became overdue",
                "%(n)d problems became overdue",
                len(problems),
            )
            % {"n": len(problems)},
            body="\n".join(f"{p.unit.code} {p}" for p in problems[:20]),
            url=reverse("rectification:problems") + "?state=overdue",
        )
    return counts
