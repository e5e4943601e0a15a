from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gembahall.core.backups import (
    BackupError,
    backup_resolve,
    backup_restore,
    backup_verify,
)


class Command(BaseCommand):
    help = (
        "Restore a backup made by `gembahall backup`: every file is checked "
        "against the manifest first, and a damaged backup changes nothing. "
        "Then the database and the media files are replaced by the backup's. "
        "Stop the server first."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup's directory, or its name.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the backup against its manifest.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, backup, check, interactive, **options):
        try:
            found = backup_verify(backup_resolve(backup))
            if check:
                self.stdout.write(f"{found.path}: OK")
                return
            if interactive and not self._confirmed(found):
                raise CommandError(_("Restore cancelled."))
            backup_restore(str(found.path))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{found.path}: restored")

    def _confirmed(self, found) -> bool:
        answer = input(
            _(
                "Replace the database and the media files with %(name)s "
                "(%(at)s)? Type 'yes' to continue: "
            )
            % {"name": found.name, "at": found.manifest["created_at"]}
        )
        return answer.strip() == "yes"
