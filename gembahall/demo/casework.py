"""Twelve months of synthetic window service for the demo center: queue
tickets with a morning peak, a lunch dip and a Monday rush, lognormal
handling times per business, cases and ratings — and a visible improvement
after the demo's OSM rollout date, larger at the windows whose inspection
scores rose more. The records go in through the same
import path a center's exports use."""

import csv
import math
import random
import shutil
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from gembahall.casework.imports.base import raw_insert
from gembahall.casework.imports.cases import import_cases
from gembahall.casework.imports.tickets import import_tickets
from gembahall.casework.models import (
    AgentRequest,
    AgentStep,
    Case,
    Notice,
    ServiceItem,
    Ticket,
)
from gembahall.casework.rollups import staff_key
from gembahall.core.workdays import add_working_days, is_working_day
from gembahall.org.models import Person, Unit
from gembahall.org.queries import unit_owner
from gembahall.ratings.models import FollowUp, Rating
from gembahall.ratings.rollups import ratings_delta
from gembahall.rectification.models import Problem

# Share of the day's arrivals in each half hour from 8:30 to 17:00.
ARRIVALS = [
    0.5,
    1.6,
    1.6,
    1.5,
    1.4,
    1.0,
    0.8,
    0.3,
    0.2,
    0.4,
    0.6,
    1.1,
    1.2,
    1.0,
    1.0,
    0.8,
    0.5,
]
WEEKDAY = [1.35, 1.05, 1.0, 0.95, 0.9, 0.5, 0.5]
LEVELS_BEFORE = [(5, 55), (4, 25), (3, 10), (2, 6), (1, 4)]
LEVELS_AFTER = [(5, 68), (4, 22), (3, 6.5), (2, 2), (1, 1.5)]
FMT = "%Y-%m-%d %H:%M:%S"
# How far a window's improvement after the rollout moves, per standard
# deviation of its inspection-score gain above the windows' mean.
EFFECT_PER_SD = 0.5


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _effects(gains: dict, windows) -> dict:
    """How much of the hall's improvement after the rollout each window
    shows: around 1, more for the windows whose inspection scores rose more
    (`gains`, by window), with noise of its own; 1 where no score is known."""
    rng = random.Random(2027)
    known = [gains[w.pk] for w in windows if w.pk in gains]
    if len(known) < 2:
        return {w.pk: 1.0 for w in windows}
    mean = sum(known) / len(known)
    spread = math.sqrt(sum((g - mean) ** 2 for g in known) / len(known)) or 1.0
    effects = {}
    for w in windows:
        z = (gains[w.pk] - mean) / spread if w.pk in gains else 0.0
        effects[w.pk] = min(2.0, max(0.0, 1 + EFFECT_PER_SD * z + rng.gauss(0, 0.3)))
    return effects


def _levels(effect: float) -> list:
    """The rating levels' weights after the rollout for a window with this
    effect (1: the hall's average improvement)."""
    return [
        (level, max(0.3, before + effect * (after - before)))
        for (level, before), (_level, after) in zip(
            LEVELS_BEFORE, LEVELS_AFTER, strict=True
        )
    ]


def build_service(
    center, *, days: int = 365, scale: float = 1.0, gains: dict | None = None
) -> dict:
    """`gains`: each window's change of inspection score across the rollout;
    the windows that gained more improve their service more."""
    rng = random.Random(2026)
    today = timezone.localdate()
    rollout = today - timedelta(days=days // 2)
    center.osm_rollout = rollout
    center.save(update_fields=["osm_rollout", "updated_at"])
    items = {}
    for item in ServiceItem.objects.filter(center=center):
        items.setdefault(item.department_id, []).append(item)
    windows = list(
        Unit.objects.filter(center=center, kind__in=Unit.WINDOW_KINDS).order_by("code")
    )
    effects = _effects(gains or {}, windows)
    staff = {}
    for person in Person.objects.filter(center=center, unit__in=windows):
        staff.setdefault(person.unit_id, []).append(person.staff_number)
    busy = {d for d, _n in _busiest(windows)}
    folder = Path(tempfile.mkdtemp(prefix="gemba-demo-"))
    ticket_rows, case_rows = [], []
    start = today - timedelta(days=days)
    day = start
    while day < today:
        if is_working_day(day):
            after = day >= rollout
            for window in windows:
                mean = (13 if window.department_id in busy else 4.5) * scale
                n = _poisson(rng, mean * WEEKDAY[day.weekday()])
                effect = effects[window.pk] if after else 0.0
                _window_day(
                    rng,
                    day,
                    window,
                    n,
                    after,
                    items,
                    staff,
                    ticket_rows,
                    case_rows,
                    effect=effect,
                )
        day += timedelta(days=1)
    header = [
        "票号",
        "业务类型",
        "窗口号",
        "工号",
        "取号时间",
        "叫号时间",
        "开始办理时间",
        "办结时间",
        "状态",
    ]
    _write(folder / "tickets.csv", header, ticket_rows)
    tickets = import_tickets(
        center=center, path=folder / "tickets.csv", source_name="叫号系统"
    )
    _write(
        folder / "cases.csv",
        [
            "办件编号",
            "事项名称",
            "窗口号",
            "受理时间",
            "办结时间",
            "办理结果",
            "补正次数",
            "排队号",
        ],
        case_rows,
    )
    cases = import_cases(
        center=center, path=folder / "cases.csv", source_name="审批系统"
    )
    _notices(rng, center, today)
    _agent_requests(rng, center)
    ratings = _ratings(rng, center, rollout, today, effects)
    shutil.rmtree(folder, ignore_errors=True)
    return {"tickets": tickets.created, "cases": cases.created, "ratings": ratings}


def _busiest(windows):
    counts = {}
    for w in windows:
        counts[w.department_id] = counts.get(w.department_id, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])[:8]


def _window_day(rng, day, window, n, after, items, staff, tickets, cases, effect):
    """One window's tickets of a day; `effect` is its share of the hall's
    improvement (0 before the rollout)."""
    offered = items.get(window.department_id) or []
    people = staff.get(window.pk) or [""]
    opening = datetime.combine(day, time(8, 30))
    free_at = opening
    arrivals = sorted(
        opening
        + timedelta(minutes=30 * rng.choices(range(len(ARRIVALS)), ARRIVALS)[0])
        + timedelta(seconds=rng.randrange(1800))
        for _ in range(n)
    )
    for number, taken in enumerate(arrivals, start=1):
        hour_load = ARRIVALS[
            min(len(ARRIVALS) - 1, int((taken - opening).seconds / 1800))
        ]
        base_wait = (6.0 - 2.5 * effect) * hour_load
        wait = rng.lognormvariate(math.log(max(base_wait, 0.5)), 0.55)
        called = max(taken + timedelta(minutes=wait), free_at)
        item = rng.choice(offered) if offered and rng.random() > 0.1 else None
        mean = (13 if item and item.promised_days else 7) * (1 - 0.15 * effect)
        handle = rng.lognormvariate(math.log(mean), 0.45)
        status = _pick(
            rng,
            [
                ("办结", 90),
                ("过号", 4 if after else 6),
                ("退办", 2 if after else 3),
                ("转办", 1),
            ],
        )
        ticket_no = f"{window.code}{number:03d}"
        who = rng.choice(people)
        if status == "过号":
            tickets.append(
                [
                    ticket_no,
                    item.name if item else "咨询",
                    window.code,
                    who,
                    taken.strftime(FMT),
                    called.strftime(FMT),
                    "",
                    "",
                    status,
                ]
            )
            continue
        started = called + timedelta(seconds=rng.randrange(20, 90))
        finished = started + timedelta(minutes=handle)
        free_at = finished
        tickets.append(
            [
                ticket_no,
                item.name if item else "咨询",
                window.code,
                who,
                taken.strftime(FMT),
                called.strftime(FMT),
                started.strftime(FMT),
                finished.strftime(FMT),
                status,
            ]
        )
        if status == "办结" and item is not None and rng.random() < 0.45:
            cases.append(_case(rng, day, window, item, started, ticket_no, after))


def _case(rng, day, window, item, accepted, ticket_no, after):
    promised = item.promised_days
    if promised == 0:
        took = 0 if rng.random() < (0.97 if after else 0.9) else 1
    elif after:
        took = (
            rng.choice(range(0, promised + 1)) if rng.random() < 0.97 else promised + 1
        )
    else:
        took = rng.choice(range(1, promised + 2))
    completed = add_working_days(day, took).date
    notices = 0
    draw = rng.random()
    if draw < (0.10 if after else 0.18):
        notices = 2 if rng.random() < (0.1 if after else 0.35) else 1
    finished = max(
        datetime.combine(completed, time(15, 0)), accepted + timedelta(minutes=25)
    )
    done = finished.strftime(FMT) if completed < timezone.localdate() else ""
    return [
        f"SP{day:%Y%m%d}{ticket_no}",
        item.name,
        window.code,
        accepted.strftime(FMT),
        done,
        "办结" if done else "",
        str(notices),
        ticket_no,
    ]


def _notices(rng, center, today) -> None:
    """The 补正 notices of the last month's cases, written down item by item
    from the materials of each service item, by a clerk of the window."""
    cases = Case.objects.filter(
        center=center, notices__gt=0, accepted_on__gte=today - timedelta(days=30)
    ).select_related("service_item")
    now = timezone.now()
    clerks = {}
    for person in Person.objects.filter(center=center, unit__isnull=False):
        clerks.setdefault(person.unit_id, person)
    notices = []
    for case in cases:
        materials = (case.service_item.materials if case.service_item else []) or [
            "身份证明"
        ]
        for n in range(case.notices):
            notices.append(
                Notice(
                    center=center,
                    case=case,
                    issued_at=min(
                        case.accepted_at + timedelta(minutes=10, days=n), now
                    ),
                    materials="\n".join(rng.sample(materials, min(2, len(materials)))),
                    issued_by=clerks.get(case.window_id),
                )
            )
    Notice.objects.bulk_create(notices, batch_size=1000)


APPLICANTS = (
    "江南食品有限公司",
    "王女士",
    "李先生",
    "东湖建设集团",
    "张先生",
    "明德教育咨询有限公司",
    "陈女士",
    "新城物业管理有限公司",
)


def _agent_requests(rng, center) -> None:
    """A week of the agent desk: requests at each milestone, one cancelled.
    The demo center offers agent service for its promised and joint items."""
    offered = ServiceItem.objects.filter(
        center=center, handling__in=("promised", "joint")
    )
    offered.update(agent_service=True)
    items = list(offered)
    agents = list(Person.objects.filter(center=center, unit__isnull=False)[:3])
    if not items or not agents:
        return
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    for n, applicant in enumerate(APPLICANTS):
        agent = agents[n % len(agents)]
        start = datetime.combine(
            today - timedelta(days=8 - n), time(9, rng.randrange(60)), tzinfo=zone
        )
        request = AgentRequest.objects.create(
            center=center,
            applicant=applicant,
            phone=f"1390000{n:04d}",
            service_item=rng.choice(items),
            agent=agent,
            requested_at=start,
        )
        reached = AgentRequest.STEPS[: 1 + (len(APPLICANTS) - 1 - n) % 5]
        steps = [
            AgentStep(
                center=center,
                request=request,
                state=state,
                at=start + timedelta(days=i, hours=rng.randrange(6)),
                by=agent,
            )
            for i, state in enumerate(reached)
        ]
        if n == 2:
            steps.append(
                AgentStep(
                    center=center,
                    request=request,
                    state="cancelled",
                    at=start + timedelta(days=1, hours=5),
                    by=agent,
                    note="申请人改为自行办理",
                )
            )
        AgentStep.objects.bulk_create(steps)
        request.state = steps[-1].state
        request.save(update_fields=["state"])


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _ratings(rng, center, rollout, today, effects) -> int:
    """About a third of served tickets are rated; bad ratings before the last
    fortnight are already called back."""
    levels = {window: _levels(effect) for window, effect in effects.items()}
    served = Ticket.objects.filter(center=center, status="served").values_list(
        "pk",
        "day",
        "window_id",
        "department_id",
        "staff_id",
        "staff_no",
        "finished_at",
    )
    ratings = []
    for pk, day, window_id, department_id, staff_id, staff_no, finished in served:
        if rng.random() > 0.33:
            continue
        level = _pick(
            rng,
            levels.get(window_id, LEVELS_AFTER) if day >= rollout else LEVELS_BEFORE,
        )
        sub = [max(1, min(5, level + rng.choice((-1, 0, 0, 1)))) for _ in range(3)]
        ratings.append(
            Rating(
                center=center,
                window_id=window_id,
                department_id_at=department_id or 0,
                staff_id=staff_id,
                staff_key=staff_key(staff_id, staff_no),
                ticket_id=pk,
                level=level,
                efficiency=sub[0],
                quality=sub[1],
                attitude=sub[2],
                reasons=["slow"] if level <= 2 else [],
                # Most citizens who rate badly leave a number for the call back.
                phone=f"137{pk % 10**8:08d}" if level <= 2 and pk % 3 else "",
                channel=rng.choice(["window_qr", "ticket_qr", "pad"]),
                day=day,
                created_at=finished + timedelta(minutes=2),
            )
        )
    raw_insert(Rating, ratings)
    ratings_delta(ratings, +1)
    followups = []
    for r in Rating.objects.filter(center=center, level__lte=Rating.BAD):
        due = add_working_days(r.day, 1).date
        on_time = rng.random() < (0.92 if r.day >= rollout else 0.7)
        called = datetime.combine(
            due if on_time else due + timedelta(days=2),
            time(10),
            tzinfo=timezone.get_current_timezone(),
        )
        followups.append(
            FollowUp(
                center=center,
                rating=r,
                callback_due=due,
                called_back_at=called if called.date() < today else None,
                callback_note="已回访，群众表示理解" if called.date() < today else "",
            )
        )
    raw_insert(FollowUp, followups)
    _rating_problems(rng, center, rollout, today)
    return len(ratings)


def _rating_problems(rng, center, rollout, today) -> None:
    """Each bad rating's rectification, as a live rating opens it: due in 15
    working days, owned by the window's head; those past their deadline are
    closed, most of them in time (more so after the rollout)."""
    zone = timezone.get_current_timezone()
    owners, problems = {}, []
    followups = list(
        FollowUp.objects.filter(center=center).select_related("rating__window__head")
    )
    for followup in followups:
        rating = followup.rating
        window = rating.window
        if window.pk not in owners:
            owners[window.pk] = unit_owner(window)
        due = add_working_days(rating.day, settings.GEMBAHALL_RATING_RECTIFY_DAYS)
        problem = Problem(
            center=center,
            unit=window,
            source=Problem.Source.RATING,
            severity=Problem.Severity.GENERAL,
            description=f"群众评价“{rating.get_level_display()}”：等候时间过长",
            owner=owners[window.pk],
            deadline=due.date,
            raised_on=rating.day,
            created_at=rating.created_at,
        )
        if due.date < today:
            on_time = rng.random() < (0.93 if rating.day >= rollout else 0.8)
            closed = (
                due.date - timedelta(days=rng.randrange(1, 8))
                if on_time
                else due.date + timedelta(days=rng.randrange(1, 6))
            )
            closed = max(closed, rating.day)
            problem.state = Problem.State.CLOSED
            problem.closed_on = closed
            problem.closed_at = datetime.combine(closed, time(16), tzinfo=zone)
            problem.on_time = closed <= due.date
            problem.days_to_close = float((closed - rating.day).days)
        problems.append(problem)
        followup.rectified_on_time = problem.on_time
    Problem.objects.bulk_create(problems, batch_size=1000)
    for followup, problem in zip(followups, problems, strict=True):
        followup.problem = problem
    FollowUp.objects.bulk_update(
        followups, ["problem", "rectified_on_time"], batch_size=500
    )
