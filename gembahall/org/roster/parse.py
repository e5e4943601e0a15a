"""Reading and checking a roster: every bad row named by row and column."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from gembahall.accounts.models import RESERVED_USERNAMES, User

from ..models import Center, RoleAssignment, Unit

# Header → field; Chinese headers are what centers use, English ones also work.
COLUMNS = {
    "工号": "staff_number",
    "staff_number": "staff_number",
    "姓名": "name",
    "name": "name",
    "单位类型": "unit_kind",
    "unit_kind": "unit_kind",
    "进驻部门": "department",
    "department": "department",
    "单位名称": "unit_name",
    "unit_name": "unit_name",
    "窗口编号": "window_code",
    "window_code": "window_code",
    "功能区": "zone",
    "zone": "zone",
    "职务": "title",
    "title": "title",
    "是否负责人": "is_leader",
    "is_leader": "is_leader",
    "手机": "phone",
    "phone": "phone",
    "角色": "roles",
    "roles": "roles",
    "账号": "username",
    "username": "username",
}
# The Chinese header of each column, as a center's roster names it.
HEADERS = {field: header for header, field in COLUMNS.items() if not header.isascii()}
REQUIRED = ("staff_number", "name")
UNIT_KINDS = {
    "窗口": Unit.Kind.WINDOW,
    "window": Unit.Kind.WINDOW,
    "中介窗口": Unit.Kind.INTERMEDIARY,
    "intermediary": Unit.Kind.INTERMEDIARY,
    "科室": Unit.Kind.OFFICE,
    "office": Unit.Kind.OFFICE,
    "中心领导": Unit.Kind.LEADERSHIP,
    "leadership": Unit.Kind.LEADERSHIP,
    "功能区": Unit.Kind.ZONE,
    "zone": Unit.Kind.ZONE,
}
ROLE_NAMES = {
    "窗口负责人": "window_head",
    "window_head": "window_head",
    "联络员": "liaison",
    "liaison": "liaison",
    "工作人员": "staff",
    "staff": "staff",
    "导办员": "guide",
    "guide": "guide",
}
YES = {"是", "yes", "y", "1", "true"}
NO = {"否", "no", "n", "0", "false", ""}
PHONE = re.compile(r"^1\d{10}$")
CODE = re.compile(r"^[A-Z]\d{2,3}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")


class RosterError(Exception):
    """The file cannot be read at all (not a roster, no header)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "header": HEADERS.get(self.column, self.column),
            "message": str(self.message),
        }


@dataclass
class RosterRow:
    number: int
    staff_number: str
    name: str
    unit_kind: str = ""
    department: str = ""
    unit_name: str = ""
    window_code: str = ""
    zone: str = ""
    title: str = ""
    is_leader: bool = False
    phone: str = ""
    roles: list[str] = field(default_factory=list)
    username: str = ""


@dataclass
class RosterReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "errors": [e.as_dict() for e in self.errors],
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        data = sheet.to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises several types for bad files
        raise RosterError(_("The file is not a readable Excel workbook.")) from error
    if not data:
        raise RosterError(_("The workbook's first sheet is empty."))
    header = [_cell(c) for c in data[0]]
    return header, [[_cell(c) for c in row] for row in data[1:]]


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def parse(
    header: list[str], rows: list[list[str]]
) -> tuple[list[RosterRow], list[RowError]]:
    fields = [COLUMNS.get(h.strip().lower()) or COLUMNS.get(h.strip()) for h in header]
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise RosterError(
            _("The header lacks the required column(s): %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    parsed, errors = [], []
    for index, raw in enumerate(rows, start=2):
        if not any(raw):
            continue
        values = {f: raw[i] if i < len(raw) else "" for i, f in enumerate(fields) if f}
        row, row_errors = _parse_row(index, values)
        errors += row_errors
        if row is not None:
            parsed.append(row)
    return parsed, errors


def _parse_row(
    number: int, v: dict[str, str]
) -> tuple[RosterRow | None, list[RowError]]:
    errors = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for column in REQUIRED:
        if not v.get(column):
            bad(column, _("This column is required."))
    kind_text = v.get("unit_kind", "")
    kind = UNIT_KINDS.get(kind_text.lower()) if kind_text else None
    code = v.get("window_code", "").upper()
    if kind_text and kind is None:
        bad("unit_kind", _("Unknown unit kind “%(value)s”.") % {"value": kind_text})
    if kind is None and code:
        kind = Unit.Kind.WINDOW
    if code and not CODE.match(code):
        bad(
            "window_code",
            _("A window code is a capital letter and 2–3 digits, e.g. A01."),
        )
    if kind in Unit.WINDOW_KINDS:
        if not code:
            bad("window_code", _("A window needs a window code."))
        if not v.get("department"):
            bad("department", _("A window needs its stationed department."))
    elif kind is not None and not v.get("unit_name"):
        bad("unit_name", _("Name the unit."))
    leader_text = v.get("is_leader", "").lower()
    if leader_text not in YES | NO:
        bad("is_leader", _("Write 是 or 否."))
    phone = v.get("phone", "").replace(" ", "").replace("-", "")
    if phone and not PHONE.match(phone):
        bad("phone", _("A mobile number has 11 digits and starts with 1."))
    roles = []
    for name in re.split(r"[,，、;；\s]+", v.get("roles", "")):
        if not name:
            continue
        role = ROLE_NAMES.get(name) or ROLE_NAMES.get(name.lower())
        if role is None:
            bad(
                "roles",
                _("“%(value)s” cannot be granted by a roster import.")
                % {"value": name},
            )
        elif kind is None:
            bad("roles", _("A role needs the person's unit."))
        else:
            roles.append(role)
    username = v.get("username", "")
    if username and not USERNAME.match(username):
        bad("username", _("Use 3–150 letters, digits or . @ + - _."))
    elif username.lower() in RESERVED_USERNAMES:
        bad("username", _("This username is reserved; choose another."))
    if errors:
        return None, errors
    return RosterRow(
        number=number,
        staff_number=v["staff_number"],
        name=v["name"],
        unit_kind=kind or "",
        department=v.get("department", ""),
        unit_name=v.get("unit_name", ""),
        window_code=code,
        zone=v.get("zone", ""),
        title=v.get("title", ""),
        is_leader=leader_text in YES,
        phone=phone,
        roles=roles,
        username=username,
    ), []


def check(center: Center, rows: list[RosterRow]) -> list[RowError]:
    """Checks that need the whole file or the database."""
    errors: list[RowError] = []
    seen_staff: dict[str, int] = {}
    seen_users: dict[str, int] = {}
    liaisons: dict[str, int] = {}
    taken = dict(
        User.objects.filter(
            username__in=[r.username for r in rows if r.username]
        ).values_list("username", "person__staff_number")
    )
    taken = {k.lower(): v for k, v in taken.items()}
    existing_liaisons = dict(
        RoleAssignment.objects.active()
        .filter(
            center=center, role="liaison", unit__code__in=[r.window_code for r in rows]
        )
        .values_list("unit__code", "person__staff_number")
    )
    for r in rows:
        if r.staff_number in seen_staff:
            errors.append(
                RowError(
                    r.number,
                    "staff_number",
                    _("Staff number %(value)s already appears in row %(row)s.")
                    % {"value": r.staff_number, "row": seen_staff[r.staff_number]},
                )
            )
        seen_staff.setdefault(r.staff_number, r.number)
        if r.username:
            key = r.username.lower()
            if key in seen_users:
                errors.append(
                    RowError(
                        r.number,
                        "username",
                        _("Username %(value)s already appears in row %(row)s.")
                        % {"value": r.username, "row": seen_users[key]},
                    )
                )
            seen_users.setdefault(key, r.number)
            if key in taken and taken[key] != r.staff_number:
                errors.append(
                    RowError(
                        r.number,
                        "username",
                        _("Username %(value)s belongs to another person.")
                        % {"value": r.username},
                    )
                )
        if "liaison" in r.roles:
            other = liaisons.get(r.window_code)
            current = existing_liaisons.get(r.window_code)
            if other is not None:
                errors.append(
                    RowError(
                        r.number,
                        "roles",
                        _("Window %(code)s already has a liaison in row %(row)s.")
                        % {"code": r.window_code, "row": other},
                    )
                )
            elif current is not None and current != r.staff_number:
                errors.append(
                    RowError(
                        r.number,
                        "roles",
                        _("Window %(code)s already has an active liaison.")
                        % {"code": r.window_code},
                    )
                )
            liaisons.setdefault(r.window_code, r.number)
    return sorted(errors, key=lambda e: e.row)


def validate_file(center: Center, path: Path) -> tuple[list[RosterRow], RosterReport]:
    header, raw = read_rows(path)
    rows, errors = parse(header, raw)
    errors = sorted(errors + check(center, rows), key=lambda e: e.row)
    report = RosterReport(rows=len(rows) + len({e.row for e in errors}), errors=errors)
    return rows, report
