from django.core.management.base import BaseCommand

from gembahall.core.photo_check import photos_check


class Command(BaseCommand):
    help = (
        "Check every stored photo file and thumbnail against its SHA-256; a "
        "missing or changed file goes to the audit trail and to the system "
        "administrators. Exits with 1 when one is found."
    )

    def handle(self, *args, **options):
        result = photos_check()
        self.stdout.write(f"checked: {result['files']}, failed: {result['failed']}")
        if result["failed"]:
            raise SystemExit(1)
