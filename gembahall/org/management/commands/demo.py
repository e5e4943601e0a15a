from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gembahall.demo import DEMO_ACCOUNTS, DEMO_OTP_SECRETS, DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Build the demo center (once; running again reuses it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply windows and staff."
        )
        parser.add_argument(
            "--service-days",
            type=int,
            default=365,
            help="Days of queue tickets, cases and ratings to make up.",
        )

    def handle(self, *args, scale, service_days, **options):
        center, created = build_demo(scale=scale, service_days=service_days)
        state = _("built") if created else _("already present")
        self.stdout.write(f"{center.name} ({center.code}): {state}")
        self.stdout.write(
            _("Demo accounts (password %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for username, _role, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {label}")
        self.stdout.write(
            _(
                "Two-factor secrets (base32; add them to an authenticator app, or "
                "compute a code with: oathtool --totp -b SECRET):"
            )
        )
        for username, secret in DEMO_OTP_SECRETS.items():
            self.stdout.write(f"  {username:<12} {secret}")
