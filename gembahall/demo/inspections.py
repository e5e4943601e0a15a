"""The demo center's inspection history: a year of weekly window checks and
monthly office checks whose rankings move month to month, plus this week's
open round."""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone

from gembahall.core.photos import photo_store
from gembahall.inspections import scoring
from gembahall.inspections.models import (
    Checklist,
    Inspection,
    InspectionPlan,
    ItemResult,
    Round,
)
from gembahall.inspections.services import round_start, tier_of
from gembahall.org.models import Person, Unit
from gembahall.org.queries import unit_owner
from gembahall.rectification.intake import deadline_for
from gembahall.rectification.models import REPEAT_WINDOW, Problem, ProblemStep
from gembahall.setup.services import center_setup
from gembahall.standards import drawings
from gembahall.standards.models import ReferencePhoto
from gembahall.standards.queries import in_force_id, season_swaps

# Problems of the last weeks may still be in the works; older ones were fixed.
OPEN_WEEKS = 3
OPEN_STATES = ("open", "open", "in_progress", "submitted", "returned", "open")
# A hall that runs OSM fixes nearly every problem in time: of the recent
# problems past their deadline, one in this many is still not fixed, and
# never more than OVERDUE_KEPT in all.
OVERDUE_EVERY = 40
OVERDUE_KEPT = 8
# Windows start the year with this range of deduction rates, and each month
# keeps this share of its rate (plus noise): the programme works.
LEVEL_START = (0.08, 0.24)
LEVEL_KEPT = 0.85


def _person(username: str) -> Person:
    return Person.objects.get(user__username=username)


class HistoryBuilder:
    def __init__(self, center, weeks: int, seed: int = 36112):
        self.center = center
        self.weeks = weeks
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.inspector = _person("inspector")
        self.director = _person("director")
        self.evidence = {}
        self.last_problem: dict = {}
        self.reference: dict = {}
        self.past_due = 0
        self.overdue = 0

    @transaction.atomic
    def build(self) -> None:
        # The demo starts its center as a real one does.
        center_setup(
            actor=self.inspector,
            center=self.center,
            publisher=self.director,
            effective_from=self.today - timedelta(weeks=self.weeks + 4),
        )
        weekly = self.plan("窗口现场周检", "weekly", ["window", "intermediary"], "WIN")
        monthly = self.plan(
            "月度综合考核",
            "monthly",
            ["leadership", "office", "window", "intermediary"],
            "WIN",
            office="OFF",
        )
        self.evidence_photos()
        units = list(
            Unit.objects.active()
            .filter(center=self.center, kind__in=monthly.target_kinds)
            .select_related("department")
            .prefetch_related("versions")
        )
        windows = [u for u in units if u.is_window]
        # Each unit has a level that drifts month by month, so rankings move.
        level = {u.pk: self.rng.uniform(*LEVEL_START) for u in units}
        monday = self.today - timedelta(days=self.today.weekday())
        previous: dict[int, set] = {}
        for week in range(self.weeks, 0, -1):
            day = monday - timedelta(weeks=week)
            if day.day <= 7:
                # The month's assessment replaces that week's window check.
                for unit in level:
                    drift = level[unit] * LEVEL_KEPT + self.rng.gauss(0, 0.025)
                    level[unit] = min(0.3, max(0.005, drift))
                self.history_round(monthly, day, units, level, previous, week)
            else:
                self.history_round(weekly, day, windows, level, previous, week)
        # This month's assessment is open: leaders first, then offices, then
        # windows.
        round_start(
            actor=self.inspector, plan=monthly, title="本月综合考核", starts_on=monday
        )

    def plan(self, name, cadence, kinds, code, office="") -> InspectionPlan:
        plan = InspectionPlan.objects.create(
            center=self.center,
            name=name,
            cadence=cadence,
            target_kinds=kinds,
            checklist_code=code,
            office_checklist_code=office,
        )
        plan.inspectors.add(self.inspector)
        return plan

    def evidence_photos(self) -> None:
        # Example problem pictures, for the chapters they show.
        for chapters, key in (
            (("06", "08"), "desk_problem"),
            (("09",), "cables_problem"),
        ):
            caption, png = drawings.render(key)
            photo = photo_store(
                actor=self.inspector,
                center=self.center,
                upload=SimpleUploadedFile(f"{key}.png", png, "image/png"),
                caption=caption,
            )
            for chapter in chapters:
                self.evidence[chapter] = photo
        # Each standard's first reference drawing, for the demo's fix photos.
        for standard_id, photo_id in (
            ReferencePhoto.objects.filter(
                version__standard__center=self.center, version__state="published"
            )
            .order_by("-position")
            .values_list("version__standard_id", "photo_id")
        ):
            self.reference[standard_id] = photo_id

    def history_round(self, plan, day, units, level, previous, week) -> None:
        checklists = {
            code: Checklist.objects.filter(center=self.center, code=code).latest(
                "number"
            )
            for code in {plan.checklist_code, plan.office_checklist_code} - {""}
        }
        items = {code: list(c.items.all()) for code, c in checklists.items()}

        def code_for(unit):
            if tier_of(unit) < 2 and plan.office_checklist_code:
                return plan.office_checklist_code
            return plan.checklist_code

        rnd = Round.objects.create(
            center=self.center,
            plan=plan,
            title=f"{plan.name} {day:%Y-%m-%d}",
            starts_on=day,
            created_by=self.inspector,
        )
        finalized = timezone.make_aware(
            timezone.datetime.combine(day, timezone.datetime.min.time())
        ) + timedelta(hours=15)
        inspections = Inspection.objects.bulk_create(
            Inspection(
                center=self.center,
                checklist=checklists[code_for(unit)],
                round=rnd,
                unit=unit,
                unit_label=unit.label_at(finalized) if unit.is_window else str(unit),
                tier=tier_of(unit),
                state="final",
                inspected_on=day,
                inspector=self.inspector,
                finalized_at=finalized,
                created_at=finalized,
            )
            for unit in units
        )
        results, deductions = [], []
        for inspection, unit in zip(inspections, units, strict=True):
            repeat_from = previous.get(unit.pk, set()) if week <= OPEN_WEEKS else set()
            rows, deducted = [], set()
            for item in items[code_for(unit)]:
                result = ItemResult(
                    center=self.center, inspection=inspection, item=item, outcome="pass"
                )
                roll = self.rng.random()
                if roll < 0.02:
                    result.outcome = "na"
                elif roll < 0.02 + level[unit.pk]:
                    result.outcome = "deduct"
                    result.occurrences = 1 if self.rng.random() < 0.8 else 2
                    result.is_repeat = item.key in repeat_from
                    result.points = scoring.item_points(
                        max_points=item.max_points,
                        deduction=item.deduction,
                        cap=item.cap,
                        outcome="deduct",
                        occurrences=result.occurrences,
                        repeat=result.is_repeat,
                    )
                    deducted.add(item.key)
                    deductions.append((inspection, unit, item, result))
                rows.append(result)
            previous[unit.pk] = deducted
            inspection.score = scoring.score(
                (r.item.max_points, r.points, r.outcome) for r in rows
            )
            inspection.deducted = sum((r.points for r in rows), Decimal(0))
            inspection.deduction_count = len(deducted)
            results.extend(rows)
        Inspection.objects.bulk_update(
            inspections, ["score", "deducted", "deduction_count"]
        )
        # Problems first, so each deduction is written with its problem.
        problems = self.problems(
            deductions, finalized, open_=week <= OPEN_WEEKS, week=week
        )
        ItemResult.objects.bulk_create(results, batch_size=2000)
        if week <= OPEN_WEEKS and self.evidence:
            self.evidence_links(deductions, problems)

    def problems(self, deductions, when, open_: bool, week: int) -> list[Problem]:
        """One problem per deduction: older ones fixed and verified (most in
        time, more so as the year goes on), recent ones spread over the
        workflow's states; of those past their deadline, a handful overdue."""
        owners: dict[int, Person | None] = {}
        problems = []
        raised_on = timezone.localdate(when)
        swaps = season_swaps(self.center, raised_on)
        for index, (_inspection, unit, item, _result) in enumerate(deductions):
            if unit.pk not in owners:
                owners[unit.pk] = unit_owner(unit)
            due = deadline_for(item.severity, raised_on)
            earlier = self.last_problem.get((unit.pk, item.key))
            problem = Problem(
                center=self.center,
                unit=unit,
                source="inspection",
                severity=item.severity,
                description=item.criterion,
                standard_id=in_force_id(item.standard_id, swaps),
                item_key=item.key,
                owner=owners[unit.pk],
                reported_by=self.inspector,
                created_at=when,
                raised_on=raised_on,
                deadline=due.date,
                deadline_provisional=due.provisional,
                repeat_of=earlier[0]
                if earlier and when - earlier[1] <= REPEAT_WINDOW
                else None,
            )
            if open_:
                self.recent(problem, when, index)
            else:
                on_time = 0.86 + 0.12 * (1 - week / self.weeks)
                self.close(problem, when, on_time=on_time)
            if problem.state in ("submitted", "returned", "closed"):
                problem.submitted_by = owners[unit.pk]
                problem.submitted_at = problem.submitted_at or when + timedelta(days=1)
            problems.append(problem)
        Problem.objects.bulk_create(problems, batch_size=2000)
        for (_inspection, _unit, _item, result), problem in zip(
            deductions, problems, strict=True
        ):
            result.problem = problem
        for problem in problems:
            self.last_problem[(problem.unit_id, problem.item_key)] = (problem, when)
        self.steps(problems)
        return problems

    def evidence_links(self, deductions, problems) -> None:
        """The chapter's photo as evidence of recent deductions that need one."""
        through = Problem.photos.through
        result_through = ItemResult.photos.through
        links, result_links = [], []
        for (_inspection, _unit, item, result), problem in zip(
            deductions, problems, strict=True
        ):
            photo = self.evidence.get(item.chapter)
            if item.photo_required and photo is not None:
                links.append(through(problem=problem, photo=photo))
                result_links.append(result_through(itemresult=result, photo=photo))
        through.objects.bulk_create(links)
        result_through.objects.bulk_create(result_links)

    def recent(self, problem: Problem, when, index: int) -> None:
        if problem.deadline >= self.today:
            problem.state = OPEN_STATES[index % len(OPEN_STATES)]
            return
        self.past_due += 1
        if self.past_due % OVERDUE_EVERY == 1 and self.overdue < OVERDUE_KEPT:
            self.overdue += 1
            problem.state = ("open", "in_progress", "returned")[self.overdue % 3]
        elif self.rng.random() < 0.1:
            # Fixed in time, the OSM office's check still to come.
            problem.state = "submitted"
            problem.submitted_at = self.fixed_at(problem, when)
        else:
            self.close(problem, when, on_time=1)

    def fixed_at(self, problem: Problem, when):
        """A moment from the day after it was raised to its deadline."""
        days = max(1, (problem.deadline - problem.raised_on).days)
        return when + timedelta(days=self.rng.randint(1, days), hours=-4)

    def close(self, problem: Problem, when, on_time: float) -> None:
        """Fixed by the deadline (with the given chance) or a few days after,
        and verified within the day."""
        if self.rng.random() < on_time:
            submitted = self.fixed_at(problem, when)
        else:
            late = problem.deadline - problem.raised_on
            submitted = when + late + timedelta(days=self.rng.randint(1, 4))
        closed = min(submitted + timedelta(hours=20), timezone.now())
        problem.state = "closed"
        problem.submitted_at, problem.closed_at = submitted, closed
        problem.closed_on = timezone.localdate(closed)
        problem.days_to_close = round((closed - when).total_seconds() / 86400, 2)
        problem.on_time = timezone.localdate(submitted) <= problem.deadline
        problem.verified_by = self.inspector

    def steps(self, problems) -> None:
        steps = []
        for p in problems:
            actor = p.owner
            if p.state == "in_progress":
                steps.append(self.step(p, "started", actor, p.created_at))
            if p.state in ("submitted", "returned", "closed"):
                steps.append(
                    self.step(
                        p,
                        "submitted",
                        actor,
                        p.submitted_at,
                        cause="日常检查不到位",
                        action="已按标准照片整改",
                    )
                )
            if p.state == "returned":
                steps.append(
                    self.step(
                        p,
                        "returned",
                        self.inspector,
                        p.submitted_at + timedelta(hours=4),
                        note="整改不彻底，请再核对标准照片",
                    )
                )
            if p.state == "closed":
                steps.append(self.step(p, "verified", self.inspector, p.closed_at))
        ProblemStep.objects.bulk_create(steps, batch_size=2000)
        # Recent fixes show the place put back as the standard's photo shows it.
        through = ProblemStep.photos.through
        through.objects.bulk_create(
            through(problemstep=step, photo_id=self.reference[step.problem.standard_id])
            for step in steps
            if step.kind == "submitted"
            and step.problem.state != "closed"
            and step.problem.standard_id in self.reference
        )

    def step(self, problem, kind, actor, at, **text) -> ProblemStep:
        return ProblemStep(
            center=self.center,
            problem=problem,
            kind=kind,
            actor=actor,
            created_at=at,
            **text,
        )


def build_history(center, weeks: int = 52) -> None:
    HistoryBuilder(center, weeks).build()


def score_gains(center, baseline, comparison) -> dict[int, float]:
    """Each window's mean official score in the comparison period minus the
    baseline's, for the windows inspected in both."""
    means = []
    for period in (baseline, comparison):
        means.append(
            {
                unit: float(score)
                for unit, score in Inspection.objects.official()
                .final()
                .filter(
                    center=center,
                    inspected_on__range=period,
                    unit__kind__in=Unit.WINDOW_KINDS,
                )
                .values("unit_id")
                .annotate(s=Avg("score"))
                .values_list("unit_id", "s")
            }
        )
    before, after = means
    return {unit: after[unit] - before[unit] for unit in before.keys() & after.keys()}
