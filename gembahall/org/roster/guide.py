"""The roster's columns and rules as the upload page explains them, beside the
reader that applies them (docs/roster-import.md says the same for operators)."""

from django.utils.translation import gettext_lazy as _

from .parse import ROSTER_COLUMNS

REQUIRED = _("Required")
FOR_WINDOWS = _("For windows")

# Field → (when it must be filled, what it means), in the sample file's order.
COLUMN_NOTES = {
    "staff_number": (
        REQUIRED,
        _("Unique within the center; importing again updates the person with it."),
    ),
    "name": (REQUIRED, _("The person's full name.")),
    "unit_kind": (
        "",
        _(
            "窗口, 中介窗口, 科室, 中心领导 or 功能区; 窗口 when a window code "
            "is given."
        ),
    ),
    "department": (FOR_WINDOWS, _("The stationed department; created when missing.")),
    "unit_name": (
        _("For offices and zones"),
        _("The unit's name; a window is named after its department by default."),
    ),
    "window_code": (FOR_WINDOWS, _("A capital letter and 2–3 digits, e.g. A01.")),
    "zone": ("", _("The hall zone the window stands in; created when missing.")),
    "title": ("", _("Job title.")),
    "is_leader": ("", _("是 or 否; empty means 否.")),
    "phone": ("", _("An 11-digit mobile number starting with 1.")),
    "roles": (
        "",
        _(
            "Roles at the person's unit, separated by 、 or commas: 窗口负责人, "
            "联络员, 工作人员, 导办员."
        ),
    ),
    "username": (
        "",
        _(
            "Creates a login account when filled and the person has none; the "
            "system administrator sets its first password on the person page."
        ),
    ),
}
RULES = (
    _(
        "Headers may be in Chinese or in English; the order of the columns "
        "does not matter."
    ),
    _("A window has at most one active liaison."),
    _(
        "Center-wide and administrative roles (director, inspector, the three "
        "administrators) are never granted by an import: the security "
        "administrator grants them one by one."
    ),
    _(
        "Importing the same file again changes nothing; people missing from the "
        "file are left alone."
    ),
)


def guide_columns() -> list[dict]:
    """Each column the reader knows: its Chinese and English header, when it
    must be filled and what it means."""
    columns = {c.field: c for c in ROSTER_COLUMNS}
    return [
        {
            "header": columns[field].headers[0],
            "english": columns[field].headers[1],
            "required": required,
            "meaning": meaning,
        }
        for field, (required, meaning) in COLUMN_NOTES.items()
    ]
