from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gembahall.core.audit_archive import verify_archive_file
from gembahall.core.audit_chain import NO_CENTER, chain_keys, verify_chain
from gembahall.org.models import Center


class Command(BaseCommand):
    help = (
        "Prove the audit trail unbroken: every center's chain of events is "
        "checked against its hashes, and the first changed, removed or "
        "inserted event is named. Exits with 1 when a chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--center", help="only this center's chain (its code or number)"
        )
        parser.add_argument(
            "--archive",
            nargs="+",
            default=(),
            help="check these archive files instead of the database",
        )

    def handle(self, *args, center=None, archive=(), **options):
        if archive:
            broken = [p for p in archive if not self._archive(Path(p))]
        else:
            keys = [self._center_key(center)] if center else chain_keys()
            broken = [key for key in keys if not self._chain(key)]
        if broken:
            raise SystemExit(1)

    def _center_key(self, value: str) -> int:
        found = Center.objects.filter(code=value).first()
        if found is None and value.isdigit():
            found = Center.objects.filter(pk=int(value)).first()
        if found is None:
            raise CommandError(_("No center has the code %(code)s.") % {"code": value})
        return found.pk

    def _name(self, key: int) -> str:
        if key == NO_CENTER:
            return _("events of no center")
        center = Center.objects.filter(pk=key).first()
        return f"{center.name} ({center.code})" if center else f"#{key}"

    def _chain(self, key: int) -> bool:
        checked, broken = verify_chain(key)
        name = self._name(key)
        if broken is None:
            self.stdout.write(
                _("%(chain)s: %(n)d events, unbroken.") % {"chain": name, "n": checked}
            )
            return True
        message = _(
            "%(chain)s: BROKEN at event %(id)s (%(reason)s); "
            "the %(n)d events before it are intact."
        )
        values = {"id": broken.event_id, "reason": broken.reason, "n": checked}
        self.stderr.write(message % {"chain": name, **values})
        return False

    def _archive(self, path: Path) -> bool:
        try:
            count = verify_archive_file(path)
        except ValueError as error:
            self.stderr.write(
                _("%(file)s: BROKEN: %(reason)s") % {"file": path, "reason": error}
            )
            return False
        self.stdout.write(
            _("%(file)s: %(n)d events, signature and chains intact.")
            % {"file": path, "n": count}
        )
        return True
