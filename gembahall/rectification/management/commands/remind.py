from django.core.management.base import BaseCommand

from gembahall.rectification.reminders import remind


class Command(BaseCommand):
    help = (
        "Remind owners of problems whose deadline is near and everyone responsible "
        "for overdue ones. Safe to run as often as cron likes: nothing is sent twice."
    )

    def handle(self, *args, **options):
        counts = remind()
        self.stdout.write(
            f"deadline near: {counts['due_soon']}, overdue: {counts['overdue']}"
        )
