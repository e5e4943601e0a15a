"""gembahall import-catalogue FILE --center CODE [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gembahall.core.imports import FileRejected
from gembahall.org.models import Center

from ...catalogue import catalogue_import


class Command(BaseCommand):
    help = (
        "Import the center's service items from a province's catalogue export "
        "(CSV or Excel); items no longer listed are ended."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--center", required=True, help="the center's code")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file, center, dry_run, **options):
        try:
            center_obj = Center.objects.get(code=center)
        except Center.DoesNotExist:
            raise CommandError(_("No center with the code “%s”.") % center) from None
        try:
            report = catalogue_import(
                actor=None, center=center_obj, path=file, dry_run=dry_run
            )
        except (FileRejected, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        if report.skipped:
            listed = ", ".join(f"{k} ×{v}" for k, v in report.skipped.items())
            self.stderr.write(
                _("Departments not stationed at this center, items left out: %s")
                % listed
            )
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("The file was rejected with %(count)s errors; nothing was changed.")
                % {"count": len(report.errors)}
            )
        counts = _(
            "%(rows)s rows: %(created)s new, %(updated)s updated, "
            "%(unchanged)s unchanged, %(ended)s ended."
        ) % {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "ended": len(report.ended),
        }
        for name in report.ended:
            self.stdout.write(_("Ended: %s") % name)
        if dry_run:
            self.stdout.write(_("Dry run, nothing was changed. ") + counts)
        else:
            self.stdout.write(_("Imported. ") + counts)
