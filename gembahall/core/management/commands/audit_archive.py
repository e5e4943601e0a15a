from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gembahall.core.audit_archive import archive_dir, events_archive


class Command(BaseCommand):
    help = (
        "Move the audit events older than AUDIT_RETENTION_DAYS to a signed "
        "archive file under AUDIT_ARCHIVE_DIR, then remove them from the "
        "database. The periodic job does this by itself; this runs it now."
    )

    def handle(self, *args, **options):
        total = 0
        while (result := events_archive())["archived"]:
            total += result["archived"]
            self.stdout.write(
                _("%(n)d events archived to %(file)s.")
                % {"n": result["archived"], "file": archive_dir() / result["file"]}
            )
        if not total:
            self.stdout.write(_("No audit event is past the retention."))
