"""gembahall import-cases FILE --center CODE [--profile NAME | --map F=H]."""

from ...imports.cases import import_cases
from .import_tickets import Command as TicketCommand


class Command(TicketCommand):
    help = "Import cases from a case system's CSV or XLSX export."
    kind = "cases"

    def importer(self):
        return import_cases
