"""The demo center, built from every app's records: the organisation, a year of
inspections, rectification, and window service. The top layer: it may use any
app, and no app uses it."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gembahall.org.models import Center

from .casework import build_service
from .inspections import build_history, score_gains
from .org import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoBuilder
from .otp import DEMO_OTP_SECRETS, demo_otp_code
from .rectification import build_rectification

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_OTP_SECRETS",
    "DEMO_PASSWORD",
    "build_demo",
    "demo_otp_code",
]


def build_demo(
    scale: int = 1, history_weeks: int = 52, service_days: int = 365
) -> tuple[Center, bool]:
    """Build the demo once; running again reuses what exists. The main center
    gets standards, checklists, `history_weeks` of inspections and
    `service_days` of tickets, cases and ratings."""
    existing = Center.objects.filter(code="demo").first()
    if existing:
        return existing, False
    with transaction.atomic():
        city = DemoBuilder(scale=scale).build()
        build_history(city, weeks=history_weeks)
        build_rectification(city)
        # The default before/after periods: ninety days before the rollout
        # (halfway through the service days) against the last ninety days.
        today = timezone.localdate()
        rollout = today - timedelta(days=service_days // 2)
        gains = score_gains(
            city,
            (rollout - timedelta(days=90), rollout - timedelta(days=1)),
            (max(rollout, today - timedelta(days=90)), today - timedelta(days=1)),
        )
        build_service(city, days=service_days, gains=gains)
    return city, True
