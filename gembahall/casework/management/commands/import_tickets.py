"""gembahall import-tickets: a file, the center, a profile or a mapping
(kept in the profile with --save)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gembahall.core.imports import FileRejected
from gembahall.org.models import Center

from ...imports.tickets import import_tickets


class Command(BaseCommand):
    help = "Import queue tickets from a queue system's CSV or XLSX export."
    kind = "tickets"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--center", required=True, help="the center's code")
        parser.add_argument(
            "--profile", default="", help="the source system (its saved mapping)"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help="map a field to a header of the file (repeatable)",
        )
        parser.add_argument(
            "--save",
            action="store_true",
            help="keep the --map pairs in the profile for the next files",
        )
        parser.add_argument("--dry-run", action="store_true")

    def importer(self):
        return import_tickets

    def handle(self, *args, file, center, profile, map, save, dry_run, **options):
        try:
            center_obj = Center.objects.get(code=center)
        except Center.DoesNotExist:
            raise CommandError(_("No center with the code “%s”.") % center) from None
        mapping = {}
        for pair in map:
            field, sep, header = pair.partition("=")
            if not sep or not field.strip() or not header.strip():
                raise CommandError(_("--map takes FIELD=HEADER, not “%s”.") % pair)
            mapping[field.strip()] = header.strip()
        last = [-1]

        def progress(fraction):
            percent = int(fraction * 100)
            if percent // 10 != last[0] // 10 and sys.stderr.isatty():
                self.stderr.write(f"  {percent}%")
            last[0] = percent

        try:
            report = self.importer()(
                center=center_obj,
                path=file,
                source_name=profile,
                mapping=mapping,
                save_mapping=save,
                dry_run=dry_run,
                progress=progress,
            )
        except (FileRejected, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.profile_used(report, mapping, save)
        counts = _(
            "%(rows)s rows: %(created)s new, %(updated)s updated, "
            "%(unchanged)s unchanged (encoding %(encoding)s)."
        ) % {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "encoding": report.encoding,
        }
        for label, names in (
            (_("Unknown staff numbers, kept as text"), report.unknown_staff),
            (_("Unknown business names, kept as text"), report.unknown_business),
        ):
            if names:
                listed = ", ".join(f"{k} ×{v}" for k, v in names.items())
                self.stderr.write(f"{label}: {listed}")
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("The file was rejected with %(count)s errors; nothing was changed.")
                % {"count": len(report.errors)}
            )
        if dry_run:
            self.stdout.write(_("Dry run, nothing was changed. ") + counts)
        else:
            self.stdout.write(_("Imported. ") + counts)

    def profile_used(self, report, mapping: dict, save: bool) -> None:
        """Say which profile and mapping the import used, and what changed."""
        saved = ", ".join(f"{k}={v}" for k, v in report.saved_mapping.items())
        self.stdout.write(
            _("Profile “%(profile)s”, saved mapping: %(mapping)s.")
            % {"profile": report.profile, "mapping": saved or _("none")}
        )
        for warning in report.warnings:
            self.stderr.write(warning)
        if mapping and not save:
            self.stdout.write(
                _(
                    "The --map pairs were used for this file only; add --save "
                    "to keep them in the profile."
                )
            )
