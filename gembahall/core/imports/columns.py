"""Matching a file's header to the fields of an import: every field has the
headers centers' files use for it, compared without spaces, in any case and
in full- or half-width forms."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .report import FileRejected

SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Column:
    """A field of an import. `headers` are the names files give the column;
    `label` names it when the file lacks it (the first header by default)."""

    field: str
    headers: tuple[str, ...]
    label: str | Promise = ""
    required: bool = False

    @property
    def name(self) -> str:
        return str(self.label or self.headers[0])


MISSING = gettext_lazy("The file has no column for: %(fields)s.")


def plain(header: str) -> str:
    """A header as it is compared: full-width forms made half-width (“Ａ０１”,
    “（”), spaces of any kind removed, case folded."""
    return SPACE.sub("", unicodedata.normalize("NFKC", str(header))).casefold()


def match_columns(
    header: list[str],
    columns: Iterable[Column],
    mapping: Mapping[str, str] | None = None,
    *,
    missing=MISSING,
) -> dict[str, int]:
    """Field → column index. A `mapping` (field → header) chosen for a source
    comes first, then the columns' own headers; the first column of a header
    counts. Raises FileRejected naming every required column the file lacks
    (`missing` words it, with %(fields)s or %(columns)s for their names)."""
    columns = {c.field: c for c in columns}
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(plain(name), position)
    found: dict[str, int] = {}
    for field, wanted in (mapping or {}).items():
        if field not in columns:
            raise FileRejected(
                _("Unknown field “%(field)s” in the mapping.") % {"field": field}
            )
        if plain(wanted) not in index:
            raise FileRejected(
                _(
                    "The mapping names the column “%(header)s” for %(field)s, "
                    "but the file has no such column."
                )
                % {"header": wanted, "field": columns[field].name}
            )
        found[field] = index[plain(wanted)]
    for field, column in columns.items():
        if field in found:
            continue
        for name in column.headers:
            if plain(name) in index:
                found[field] = index[plain(name)]
                break
    lacking = [c.name for c in columns.values() if c.required and c.field not in found]
    if lacking:
        names = ", ".join(lacking)
        raise FileRejected(str(missing) % {"fields": names, "columns": names})
    return found
