"""Small builders for test data."""

import itertools

from gembahall.accounts.models import User
from gembahall.org.models import (
    Center,
    Department,
    Person,
    RoleAssignment,
    Unit,
    UnitVersion,
)

PASSWORD = "Test-pass-2026!"
_seq = itertools.count(1)


def center(name="测试中心", code=None, parent=None, kind="city") -> Center:
    return Center.objects.create(
        name=name, code=code or f"c{next(_seq)}", parent=parent, kind=kind
    )


def department(c: Center, name=None) -> Department:
    return Department.objects.create(center=c, name=name or f"部门{next(_seq)}")


def unit(c: Center, kind="window", name=None, code=None, dept=None) -> Unit:
    n = next(_seq)
    if kind in ("window", "intermediary"):
        code = code or f"A{n:02d}"
        dept = dept or department(c)
    u = Unit.objects.create(
        center=c, kind=kind, name=name or f"单位{n}", code=code or "", department=dept
    )
    UnitVersion.objects.create(
        center=c,
        unit=u,
        code=u.code,
        name=u.name,
        valid_from=u.valid_from,
        department_name=dept.name if dept else "",
    )
    return u


def person(
    c: Center, u: Unit | None = None, *, username=None, name=None, phone="13812345678"
):
    n = next(_seq)
    user = None
    if username:
        user = User.objects.create_user(username=username, password=PASSWORD)
    return Person.objects.create(
        center=c,
        unit=u,
        name=name or f"人员{n}",
        staff_number=f"S{n:05d}",
        user=user,
        phone=phone,
    )


def grant(
    p: Person, role: str, *, unit: Unit | None = None, center: Center | None = None
):
    return RoleAssignment.objects.create(
        center=center or (unit.center if unit else p.center),
        person=p,
        role=role,
        unit=unit,
    )


def signed_in(client, p: Person):
    client.force_login(p.user)
    return client
