"""The rating KPIs read from the rollups equal a plain computation over the
raw ratings and follow-ups, with ratings given through the real service,
some with sub-scores left out, some excluded as malicious, some called back
and some rectified."""

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from gembahall.casework.events import ticket_event_record
from gembahall.casework.models import Source, Ticket
from gembahall.casework.rollups import staff_key
from gembahall.ratings.followups import followup_callback
from gembahall.ratings.models import FollowUp, Rating
from gembahall.ratings.services import rating_exclude, rating_submit
from gembahall.rectification.sources import state_changed
from gembahall.reports.kpis import Scope, rating_kpis
from tests import factories as f

TZ = ZoneInfo("Asia/Shanghai")
SUBS = ("efficiency", "quality", "attitude")

cases = st.lists(
    st.fixed_dictionaries(
        {
            "window": st.sampled_from(["A01", "A02"]),
            "staff": st.booleans(),
            "served": st.booleans(),
            "level": st.one_of(st.none(), st.integers(1, 5)),
            # Sub-scores the citizen may leave out: efficiency, level, attitude.
            "subs": st.tuples(*[st.one_of(st.none(), st.integers(1, 5))] * 3),
            "excluded": st.booleans(),
            "called_back": st.booleans(),
            "fixed": st.sampled_from([None, "on_time", "late"]),
        }
    ),
    max_size=14,
)


class RatingKpiProperty(TestCase):
    def setUp(self):
        self.center = f.center(code="rprop")
        dept = f.department(self.center)
        self.a01 = f.unit(self.center, code="A01", dept=dept)
        f.unit(self.center, code="A02", dept=dept)
        self.clerk = f.person(self.center, self.a01)
        self.inspector = f.person(self.center, username="rinsp")
        f.grant(self.inspector, "inspector")
        self.source = Source.objects.create(
            center=self.center, kind="tickets", name="q"
        )

    @hsettings(
        max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(data=cases, later=st.integers(0, 4))
    def test_rating_kpis_equal_a_plain_computation(self, data, later):
        today = timezone.localdate()
        start = datetime.combine(today, datetime.min.time(), tzinfo=TZ)
        for number, case in enumerate(data):
            no = f"R{number}"
            ticket_event_record(
                source=self.source,
                event_id=f"{no}t",
                ticket_no=no,
                kind="taken",
                at=start,
            )
            ticket, _new = ticket_event_record(
                source=self.source,
                event_id=f"{no}f",
                ticket_no=no,
                kind="finished",
                at=start + timedelta(minutes=5),
                window=case["window"],
                staff_no=self.clerk.staff_number if case["staff"] else "",
                status="served" if case["served"] else "no_show",
            )
            if case["level"] is None:
                continue
            rating = rating_submit(
                window=ticket.window,
                ticket=ticket,
                level=case["level"],
                reasons=["slow"] if case["level"] <= 2 else [],
                **dict(zip(SUBS, case["subs"], strict=True)),
            )
            followup = getattr(rating, "followup", None)
            if followup is not None:
                if case["called_back"]:
                    followup_callback(
                        actor=self.inspector, followup=followup, note="已回访"
                    )
                if case["fixed"]:
                    problem = followup.problem
                    problem.state = "closed"
                    problem.closed_on = (
                        problem.deadline
                        if case["fixed"] == "on_time"
                        else problem.deadline + timedelta(days=1)
                    )
                    problem.save()
                    # Closed on a chosen day: the engine's listeners hear of
                    # it as they do when an inspector verifies the fix.
                    state_changed(problem, "submitted")
            if case["excluded"]:
                rating_exclude(actor=self.inspector, rating=rating, reason="恶意")
        # Asked on a later day too, when call-backs and fixes fall due.
        asked = today + timedelta(days=later * 7)
        scopes = [
            (Scope(self.center.pk), lambda r: True),
            (
                Scope(self.center.pk, window_id=self.a01.pk),
                lambda r: r.window_id == self.a01.pk,
            ),
            (
                Scope(self.center.pk, staff_key=staff_key(self.clerk.pk, "")),
                lambda r: r.staff_id == self.clerk.pk,
            ),
        ]
        for scope, keep in scopes:
            actual = rating_kpis(scope, today, today, asked)
            expected = self.expected(keep, today, asked)
            for key, value in expected.items():
                if value is None:
                    assert actual[key] is None, key
                else:
                    assert math.isclose(actual[key], value), (key, actual[key], value)

    def expected(self, keep, today, asked):
        from django.conf import settings

        ratings = [
            r
            for r in Rating.objects.filter(center=self.center, day=today)
            if r.excluded_at is None and keep(r)
        ]
        served = [
            t
            for t in Ticket.objects.filter(
                center=self.center, day=today, status="served"
            )
            if keep(t)
        ]
        followups = [
            fu
            for fu in FollowUp.objects.filter(rating__in=ratings).select_related(
                "problem"
            )
        ]
        called_due = [
            fu for fu in followups if fu.called_back_at or fu.callback_due < asked
        ]
        called_ok = [
            fu
            for fu in called_due
            if fu.called_back_at
            and timezone.localdate(fu.called_back_at) <= fu.callback_due
        ]
        fix_due = [
            fu
            for fu in followups
            if fu.rectified_on_time is not None or fu.problem.deadline < asked
        ]
        fix_ok = [fu for fu in fix_due if fu.rectified_on_time]

        def share(n, d):
            return n / d if d else None

        def given(sub):
            stars = [getattr(r, sub) for r in ratings if getattr(r, sub)]
            return share(sum(stars), len(stars))

        level = settings.GEMBAHALL_SATISFIED_LEVEL
        return {
            **{f"{sub}_avg": given(sub) for sub in SUBS},
            "ratings": len(ratings),
            "participation": share(len(ratings), len(served)),
            "satisfaction": share(sum(r.level >= level for r in ratings), len(ratings)),
            "bad_rate": share(sum(r.level <= 2 for r in ratings), len(ratings)),
            "callback_on_time": share(len(called_ok), len(called_due)),
            "rectify_on_time": share(len(fix_ok), len(fix_due)),
        }
