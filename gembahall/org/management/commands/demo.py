from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gembahall.org.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Build the demo center (once; running again reuses it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply windows and staff."
        )

    def handle(self, *args, scale, **options):
        center, created = build_demo(scale=scale)
        state = _("built") if created else _("already present")
        self.stdout.write(f"{center.name} ({center.code}): {state}")
        self.stdout.write(
            _("Demo accounts (password %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for username, _role, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {label}")
