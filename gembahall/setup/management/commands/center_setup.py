from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gembahall.org.models import Center, Person, RoleAssignment
from gembahall.org.osm import osm_office_head
from gembahall.setup.services import FILE_NAMES, STARTER, Source, center_setup


class Command(BaseCommand):
    help = (
        "Load a center's checklists, standards (with drawings) and service "
        "catalogue: the starter content, or the center's own files from a "
        "directory with the same names as the starter files ("
        + ", ".join(FILE_NAMES)
        + "; any may be missing). Only what the center lacks is added, so "
        "running it again creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--center", required=True, help="Center code.")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--starter", action="store_true", help="The product's starter content."
        )
        which.add_argument(
            "--from-dir",
            type=Path,
            help="A directory of the center's own files: " + ", ".join(FILE_NAMES),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Load in a transaction that is rolled back; print what would be "
            "created.",
        )
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="Account of the inspector (OSM office) running it; default: the "
            "OSM office's head, else the center's one inspector.",
        )
        parser.add_argument(
            "--publish-as",
            dest="publisher",
            default="",
            help="Account of the director who publishes the standards at once; "
            "without it they wait as drafts for the director.",
        )

    def handle(self, *args, center, starter, from_dir, dry_run, **options):
        center_obj = Center.objects.filter(code=center).first()
        if center_obj is None:
            raise CommandError(_("No center has the code %(code)s.") % {"code": center})
        if from_dir is not None and not from_dir.is_dir():
            raise CommandError(
                _("%(dir)s is not a directory.") % {"dir": str(from_dir)}
            )
        actor = self._actor(center_obj, options["username"])
        publisher = self._publisher(center_obj, options["publisher"])
        source = STARTER if starter else Source(from_dir)
        try:
            result = center_setup(
                actor=actor,
                center=center_obj,
                source=source,
                dry_run=dry_run,
                publisher=publisher,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self._report(center_obj, result)

    def _report(self, center, result):
        lead = (
            _("Dry run, nothing was written. It would create:")
            if result.dry_run
            else _("Created:")
        )
        self.stdout.write(f"{center.name} ({center.code}) · {lead}")
        self.stdout.write(_("  checklists: %(n)s") % {"n": result.checklists})
        self.stdout.write(_("  standards: %(n)s") % {"n": result.standards})
        self.stdout.write(_("  service items: %(n)s") % {"n": result.service_items})
        if result.drafts:
            self.stdout.write(
                _("  %(n)s standards wait as drafts for the director to publish.")
                % {"n": result.drafts}
            )
        if result.skipped_departments:
            self.stdout.write(
                _("  items of departments not stationed here were left out: %(d)s")
                % {"d": "、".join(result.skipped_departments)}
            )

    def _actor(self, center, username) -> Person:
        if username:
            person = Person.objects.active().filter(user__username=username).first()
        else:
            person = osm_office_head(center)
            if person is None or not person.has_perm("center.setup", center=center):
                person = self._inspector(center)
        if person is None or not person.has_perm("center.setup", center=center):
            raise CommandError(
                _(
                    "Nobody who may set up this center was found: grant the "
                    "inspector role to someone of the OSM office first (or use --as)."
                )
            )
        return person

    def _inspector(self, center) -> Person | None:
        for assignment in (
            RoleAssignment.objects.active()
            .filter(role=RoleAssignment.Role.INSPECTOR)
            .select_related("person", "center")
            .order_by("person__staff_number")
        ):
            if center.path.startswith(assignment.center.path):
                return assignment.person
        return None

    def _publisher(self, center, username) -> Person | None:
        if not username:
            return None
        person = Person.objects.active().filter(user__username=username).first()
        if person is None or not person.has_perm("standards.publish", center=center):
            raise CommandError(
                _("%(user)s may not publish this center's standards.")
                % {"user": username}
            )
        return person
