"""Org pages: the center tree, units, people, the committee and roster import."""

from .committee import (
    committee,
    committee_join,
    committee_leave,
    pairing_add,
    pairing_end,
)
from .people import (
    account_create,
    people,
    person_create,
    person_detail,
    person_edit,
    person_phone,
    role_assign,
    role_end,
)
from .roster import (
    roster_import,
    roster_import_confirm,
    roster_import_job,
    roster_sample,
)
from .units import (
    center_tree,
    department_windows,
    tree,
    unit_create,
    unit_detail,
    unit_edit,
    unit_end,
)

__all__ = [
    "tree",
    "center_tree",
    "department_windows",
    "unit_detail",
    "unit_create",
    "unit_edit",
    "unit_end",
    "people",
    "person_detail",
    "person_phone",
    "person_create",
    "person_edit",
    "account_create",
    "role_assign",
    "role_end",
    "committee",
    "committee_join",
    "committee_leave",
    "pairing_add",
    "pairing_end",
    "roster_sample",
    "roster_import",
    "roster_import_job",
    "roster_import_confirm",
]
