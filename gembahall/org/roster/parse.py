"""Reading and checking a roster on the import kit: every bad row named by
row and column."""

import re
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gembahall.accounts.models import RESERVED_USERNAMES, User
from gembahall.core.imports import Column, Importer, Report

from ..models import Center, RoleAssignment, Unit


def _column(field: str, header: str, required: bool = False) -> Column:
    return Column(field, (header, field), header, required)


# The columns in the sample file's order: the Chinese header a center's
# roster uses, and the English one that also works.
ROSTER_COLUMNS = (
    _column("staff_number", "工号", required=True),
    _column("name", "姓名", required=True),
    _column("unit_kind", "单位类型"),
    _column("department", "进驻部门"),
    _column("unit_name", "单位名称"),
    _column("window_code", "窗口编号"),
    _column("zone", "功能区"),
    _column("title", "职务"),
    _column("is_leader", "是否负责人"),
    _column("phone", "手机"),
    _column("roles", "角色"),
    _column("username", "账号"),
)
# The Chinese header of each column, as a center's roster names it.
HEADERS = {c.field: c.headers[0] for c in ROSTER_COLUMNS}
REQUIRED = tuple(c.field for c in ROSTER_COLUMNS if c.required)
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
# Named so that a row asking for one is told why it is refused.
ADMIN_NAMES = {
    "系统管理员",
    "安全管理员",
    "安全保密管理员",
    "审计管理员",
    "安全审计员",
    *(str(role) for role in RoleAssignment.ADMIN_ROLES),
}
YES = {"是", "yes", "y", "1", "true"}
NO = {"否", "no", "n", "0", "false", ""}
PHONE = re.compile(r"^1\d{10}$")
CODE = re.compile(r"^[A-Z]\d{2,3}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")


class Problem(NamedTuple):
    row: int
    column: str
    message: str


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
class RosterReport(Report):
    created: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "errors": [e.as_dict() for e in self.errors],
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "preview": self.preview,
        }


class RosterReader(Importer):
    """Reads a roster's first sheet and checks every row, the whole file at
    once: a staff number, a username or a window's liaison may repeat
    anywhere in it."""

    columns_spec = ROSTER_COLUMNS
    missing_message = _lazy("The header lacks the required column(s): %(columns)s.")
    workbook_only = True
    batch_size = None
    report_class = RosterReport

    def __init__(self, *, center: Center, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.center, self.actor = center, actor

    def read(self, number: int, cells: list) -> "RosterRow | None":
        row, problems = _parse_row(number, self.texts(cells))
        for problem in problems:
            self.error(*problem)
        return row

    def preview(self, record: RosterRow) -> dict:
        values = asdict(record)
        del values["number"]
        return values

    def check(self, records: list[RosterRow]) -> None:
        for problem in check(self.center, records) + check_duties(
            self.center, self.actor, records
        ):
            self.error(*problem)

    def summarize(self) -> None:
        self.report.errors.sort(key=lambda e: e.row)


def _parse_row(
    number: int, v: dict[str, str]
) -> tuple[RosterRow | None, list[Problem]]:
    errors = []

    def bad(column: str, message: str) -> None:
        errors.append(Problem(number, column, message))

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
        if role is None and (name in ADMIN_NAMES or name.lower() in ADMIN_NAMES):
            bad(
                "roles",
                _(
                    "“%(value)s” is an administrator role: only the security "
                    "administrator grants it, never an import."
                )
                % {"value": name},
            )
        elif role is None:
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


def check(center: Center, rows: list[RosterRow]) -> list[Problem]:
    """Checks that need the whole file or the database."""
    errors: list[Problem] = []
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
                Problem(
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
                    Problem(
                        r.number,
                        "username",
                        _("Username %(value)s already appears in row %(row)s.")
                        % {"value": r.username, "row": seen_users[key]},
                    )
                )
            seen_users.setdefault(key, r.number)
            if key in taken and taken[key] != r.staff_number:
                errors.append(
                    Problem(
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
                    Problem(
                        r.number,
                        "roles",
                        _("Window %(code)s already has a liaison in row %(row)s.")
                        % {"code": r.window_code, "row": other},
                    )
                )
            elif current is not None and current != r.staff_number:
                errors.append(
                    Problem(
                        r.number,
                        "roles",
                        _("Window %(code)s already has an active liaison.")
                        % {"code": r.window_code},
                    )
                )
            liaisons.setdefault(r.window_code, r.number)
    return sorted(errors, key=lambda e: e.row)


def check_duties(center: Center, actor, rows: list[RosterRow]) -> list[Problem]:
    """三员分立: an import grants no role to the person importing it, and
    neither a role nor an account to a holder of an administrator role."""
    errors: list[Problem] = []
    admins = set(
        RoleAssignment.objects.active()
        .filter(
            center=center,
            role__in=RoleAssignment.ADMIN_ROLES,
            person__staff_number__in=[r.staff_number for r in rows],
        )
        .values_list("person__staff_number", flat=True)
    )
    own = actor.staff_number if actor and actor.center_id == center.pk else None
    for r in rows:
        if r.roles and r.staff_number == own:
            errors.append(
                Problem(
                    r.number,
                    "roles",
                    _("Nobody can grant a role to themselves, by import either."),
                )
            )
        elif r.staff_number in admins and (r.roles or r.username):
            errors.append(
                Problem(
                    r.number,
                    "roles" if r.roles else "username",
                    _(
                        "Staff number %(value)s holds an administrator role: an "
                        "import gives them neither a role nor an account."
                    )
                    % {"value": r.staff_number},
                )
            )
    return errors
