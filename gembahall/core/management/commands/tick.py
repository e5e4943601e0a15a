from django.core.management.base import BaseCommand

from gembahall.core.periodic import periodic_jobs, tick


class Command(BaseCommand):
    help = (
        "Run the periodic work that is due: scheduled rounds, reminders and the "
        "rest. Safe to run every minute, and twice at once: nothing happens twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", nargs="+", default=(), choices=sorted(periodic_jobs())
        )

    def handle(self, *args, only, **options):
        failed = False
        for name, result in tick(only=only).items():
            if isinstance(result, Exception):
                failed = True
                self.stderr.write(f"{name}: failed: {result}")
            else:
                self.stdout.write(f"{name}: {result}")
        if failed:
            raise SystemExit(1)
