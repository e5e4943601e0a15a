from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gembahall.core.imports import FileRejected
from gembahall.org.models import Center, Person, RoleAssignment
from gembahall.org.roster import import_roster


class Command(BaseCommand):
    help = "Import a staff roster (.xlsx); nothing is written if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--center", required=True, help="Center code.")
        parser.add_argument("--dry-run", action="store_true", help="Check only.")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="Account of the sysadmin running it.",
        )

    def handle(self, *args, file, center, dry_run, username, **options):
        center_obj = Center.objects.filter(code=center).first()
        if center_obj is None:
            raise CommandError(_("No center has the code %(code)s.") % {"code": center})
        actor = self._actor(center_obj, username)
        try:
            report = import_roster(
                actor=actor, center=center_obj, path=file, dry_run=dry_run
            )
        except FileRejected as error:
            raise CommandError(str(error)) from error
        for e in report.errors:
            self.stderr.write(
                _("row %(row)s, column %(column)s: %(message)s") % e.as_dict()
            )
        if report.errors:
            raise CommandError(
                _("%(n)s problem(s) found; nothing was written.")
                % {"n": len(report.errors)}
            )
        summary = report.as_dict()
        del summary["preview"]  # the rows themselves stay in the file
        self.stdout.write(str(summary))

    def _actor(self, center, username) -> Person:
        sysadmins = RoleAssignment.objects.active().filter(role="sysadmin")
        if username:
            sysadmins = sysadmins.filter(person__user__username=username)
        for assignment in sysadmins.select_related("person", "center"):
            if center.path.startswith(assignment.center.path):
                return assignment.person
        raise CommandError(
            _("No system administrator of this center was found (use --as).")
        )
