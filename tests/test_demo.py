"""The demo center: realistic sizes, deterministic, built once."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from statistics import mean

import pytest
from django.db.models import Avg, Max, Min, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gembahall.accounts.models import User
from gembahall.accounts.otp import secret_base32
from gembahall.demo import (
    DEMO_ACCOUNTS,
    DEMO_OTP_SECRETS,
    DEMO_PASSWORD,
    build_demo,
    demo_otp_code,
)
from gembahall.inspections import queries
from gembahall.inspections.models import Inspection
from gembahall.inspections.queries import month_bounds
from gembahall.org.models import Center, Department, Person, RoleAssignment, Unit
from gembahall.rectification.models import Problem
from gembahall.standards.models import Standard

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


@pytest.mark.django_db
def test_demo_builds_a_realistic_center_once():
    city, created = build_demo()
    assert created
    assert city.code == "demo" and city.name == "示范市行政服务中心"
    assert Center.objects.filter(parent=city).count() == 2
    assert Department.objects.filter(center=city).count() >= 30
    assert Unit.objects.windows().filter(center=city).count() >= 60
    assert Person.objects.filter(center=city).count() >= 150
    assert Unit.objects.filter(center=city).without_liaison().exists()
    renumbered = [u for u in Unit.objects.filter(center=city) if u.versions.count() > 1]
    assert len(renumbered) == 1
    assert build_demo() == (city, False)
    assert Center.objects.filter(code="demo").count() == 1
    assert_a_year_of_inspections(city)
    assert_rectification(city)
    assert_service(city)
    assert_the_story(city)


def assert_the_story(city):
    """The demo's figures tell the story the product exists to tell: nearly
    every problem fixed and verified in time, a handful overdue, inspection
    scores and citizens' satisfaction better at the end of the year than at
    its start; and each kind of work still waits for someone."""
    from gembahall.ratings.models import Rating
    from gembahall.rectification.models import Practice

    problems = Problem.objects.filter(center=city)
    assert 1 <= problems.overdue().count() <= 15
    closed = problems.filter(state="closed")
    assert closed.filter(on_time=True).count() >= 0.85 * closed.count()
    today = timezone.localdate()
    recent = closed.filter(closed_on__gte=today - timedelta(days=90))
    assert recent.filter(on_time=True).count() >= 0.9 * recent.count()
    assert problems.filter(state="submitted").exists()
    assert Practice.objects.filter(center=city, state="submitted").exists()
    final = Inspection.objects.official().final().filter(center=city)
    first = final.aggregate(first=Min("inspected_on"))["first"]

    def score(start, end):
        return final.filter(inspected_on__range=(start, end)).aggregate(s=Avg("score"))[
            "s"
        ]

    early = score(first, first + timedelta(days=90))
    late = score(today - timedelta(days=90), today)
    assert late > early + 2
    ratings = Rating.objects.filter(center=city)

    def satisfied(start, end):
        period = ratings.filter(day__range=(start, end))
        return period.filter(level__gte=4).count() / period.count()

    start = ratings.aggregate(first=Min("day"))["first"]
    assert satisfied(today - timedelta(days=90), today) > satisfied(
        start, start + timedelta(days=90)
    )


def assert_service(city):
    """Twelve months of tickets with a morning peak, a lunch dip and a Monday
    rush; the before/after report shows the improvement after the rollout."""
    from gembahall.casework.models import AgentRequest, Case, HourStat, Ticket
    from gembahall.ratings.models import Rating
    from gembahall.reports.before_after import compare
    from gembahall.reports.forms import default_periods

    days = Ticket.objects.filter(center=city).aggregate(
        first=Min("day"), last=Max("day")
    )
    assert (days["last"] - days["first"]).days >= 330
    assert Case.objects.filter(center=city).count() > 1000
    # The last month's 补正 notices are written down; the agent desk's week
    # holds requests at every milestone and one cancelled.
    breached = Case.objects.filter(center=city, notices__gte=2).latest("accepted_at")
    assert breached.notice_set.count() == 2
    states = set(
        AgentRequest.objects.filter(center=city).values_list("state", flat=True)
    )
    assert {"requested", "cancelled", "delivered"} <= states
    assert Rating.objects.filter(center=city).count() > 1000
    by_hour = dict(
        HourStat.objects.filter(center=city)
        .values("hour")
        .annotate(n=Sum("taken"))
        .values_list("hour", "n")
    )
    assert by_hour[9] > by_hour[12] and by_hour[10] > by_hour[12]
    by_weekday = {}
    for day, n in (
        HourStat.objects.filter(center=city)
        .values("day")
        .annotate(n=Sum("taken"))
        .values_list("day", "n")
    ):
        by_weekday.setdefault(day.weekday(), []).append(n)
    assert mean(by_weekday[0]) > 1.2 * mean(by_weekday[4])
    periods = default_periods(city, timezone.localdate())
    report = compare(
        city,
        (periods["baseline_start"], periods["baseline_end"]),
        (periods["comparison_start"], periods["comparison_end"]),
    )
    assert report.verdict
    assert all(c.low is not None for c in report.changes)
    assert_the_evidence(report.evidence)
    # Bad ratings past their deadline were rectified, most in time.
    from gembahall.reports.kpis import Scope, rating_kpis

    today = timezone.localdate()
    rectified = rating_kpis(
        Scope(city.pk), today - timedelta(days=120), today - timedelta(days=30), today
    )["rectify_on_time"]
    assert rectified is not None and 0.6 < rectified < 1


def assert_the_evidence(evidence):
    """Window by window, the demo shows what a real effect looks like: the
    windows whose OSM scores rose more cut their wait and handling more and
    raised their satisfaction more, each link sure (its interval excludes
    zero), and the top third of windows ahead of the bottom third."""
    assert evidence.enough and evidence.windows >= 60
    for link in evidence.links:
        assert link.direction == 1, link.kpi.key
        assert link.did_significant and link.did * link.kpi.better > 0, link.kpi.key
        assert link.slope * link.kpi.better > 0


def assert_a_year_of_inspections(city):
    """Every window inspected weekly for a year; rankings move month to month;
    standards published with example drawings; problems open and closed."""
    today = timezone.localdate()
    final = Inspection.objects.official().final().filter(center=city)
    first = final.order_by("inspected_on").first().inspected_on
    assert (today - first).days >= 360
    window = Unit.objects.windows().filter(center=city).first()
    assert final.filter(unit=window).count() >= 50
    months = []
    for back in (1, 2, 3):
        year, month = today.year, today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        start, end = month_bounds(year, month)
        ranking = queries.ranking(city, start=start, end=end)
        months.append([r["unit_id"] for r in ranking["windows"][:5]])
    assert months[0] != months[1] != months[2]
    assert Standard.objects.filter(center=city, current__isnull=False).count() >= 25
    assert Problem.objects.filter(center=city, state="open").exists()
    assert Problem.objects.filter(center=city, state="closed").exists()
    assert Inspection.objects.filter(center=city, state="draft", tier=0).exists()


def assert_rectification(city):
    """Problems in every state, overdue ones and repeats; two finished PDCAA
    cycles whose standards are published; published practices."""
    from gembahall.core.models import Notification
    from gembahall.rectification.models import Improvement, Practice

    problems = Problem.objects.filter(center=city)
    states = set(problems.values_list("state", flat=True))
    assert states == set(Problem.State.values)
    assert problems.overdue().exists()
    assert problems.filter(repeat_of__isnull=False).exists()
    assert problems.filter(source="spot").exists()
    done = Improvement.objects.filter(center=city, stage="done")
    assert done.count() == 2
    for improvement in done:
        assert improvement.version.state == "published"
        assert improvement.problems.exists()
    assert Practice.objects.filter(center=city, state="published").count() >= 2
    director = Person.objects.get(user__username="director")
    assert Notification.objects.filter(person=director).exists()


@pytest.mark.django_db
def test_demo_practices_are_credited_to_their_own_windows_liaisons():
    from gembahall.rectification.models import Adoption, Practice

    city, _created = build_demo(history_weeks=1, service_days=7)
    liaisons = dict(
        RoleAssignment.objects.active()
        .filter(center=city, role="liaison")
        .values_list("unit_id", "person_id")
    )
    practices = Practice.objects.filter(center=city)
    assert practices.count() >= 3
    for practice in practices:
        assert practice.submitted_by_id == liaisons[practice.unit_id]
    for adoption in Adoption.objects.filter(center=city):
        assert adoption.person_id == liaisons[adoption.unit_id]


@pytest.mark.django_db
def test_demo_accounts_sign_in_with_the_demo_password(client):
    build_demo(history_weeks=1, service_days=7)
    for username, role, _label in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.password_never_expires and not user.password_temporary
        assert RoleAssignment.objects.filter(person__user=user, role=role).exists()
    assert not User.objects.filter(
        username__in=["admin", "root"], is_active=True
    ).exists()
    # The director and the administrators have authenticators whose fixed
    # secrets the README lists: the code computed from it is accepted.
    for username, secret in DEMO_OTP_SECRETS.items():
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert secret_base32(device) == secret
        assert f"`{secret}`" in README
        assert device.verify_token(demo_otp_code(username))
    assert not TOTPDevice.objects.filter(user__username="clerk").exists()


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 64 + "-production-secret-!@#",
        "ALLOWED_HOSTS": "hall.example.gov.cn",
        "DEBUG": "0",
    }
    for name in ("GEMBAHALL_ALLOW_HTTP", "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gembahall",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
