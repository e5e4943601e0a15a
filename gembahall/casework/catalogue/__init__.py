"""The service catalogue: loading a center's items from a province's export
or the starter list, editing an item, and printing its one-time notice."""

from .limits import ALIASES, HANDLING
from .load import STARTER, CatalogueImporter, catalogue_import, catalogue_load
from .notice import notice_pdf

__all__ = [
    "ALIASES",
    "HANDLING",
    "STARTER",
    "CatalogueImporter",
    "catalogue_import",
    "catalogue_load",
    "notice_pdf",
]
