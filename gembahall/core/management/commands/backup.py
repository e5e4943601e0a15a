from django.core.management.base import BaseCommand, CommandError

from gembahall.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (a consistent snapshot, safe while the app runs) "
        "and the media files, with a manifest of their SHA-256 sums, into a new "
        "directory in GEMBAHALL_BACKUP_DIR; then remove the oldest backups "
        "beyond the kept count."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Backups to keep (default: GEMBAHALL_BACKUP_KEEP; 0 keeps all).",
        )

    def handle(self, *args, keep, **options):
        try:
            backup = backup_create(keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(backup.path))
