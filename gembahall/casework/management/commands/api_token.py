"""gembahall api-token: a new API key for a center's queue system or pad."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gembahall.org.models import Center

from ...models import Source
from ...tokens import token_create


class Command(BaseCommand):
    help = "Create an API key for a source system of a center; prints it once."

    def add_arguments(self, parser):
        parser.add_argument("--center", required=True, help="the center's code")
        parser.add_argument("--source", required=True, help="the source system")
        parser.add_argument(
            "--kind", choices=Source.Kind.values, default=Source.Kind.TICKETS
        )
        parser.add_argument("--name", default="", help="what the key is for")

    def handle(self, *args, center, source, kind, name, **options):
        try:
            center_obj = Center.objects.get(code=center)
        except Center.DoesNotExist:
            raise CommandError(_("No center with the code “%s”.") % center) from None
        source_obj, _created = Source.objects.get_or_create(
            center=center_obj, kind=kind, name=source
        )
        _token, key = token_create(actor=None, source=source_obj, name=name or source)
        self.stdout.write(key)
