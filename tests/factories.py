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


def checklist(
    c: Center,
    n=5,
    *,
    code="WIN",
    max_points=4,
    deduction=1,
    cap=None,
    photo_required=False,
    target="window",
):
    """A published checklist of `n` items worth `max_points` each."""
    from decimal import Decimal

    from gembahall.inspections.models import Checklist, ChecklistItem

    cl = Checklist.objects.create(
        center=c, code=code, title=f"检查表{code}", target=target, state="published"
    )
    for i in range(1, n + 1):
        ChecklistItem.objects.create(
            center=c,
            checklist=cl,
            position=i,
            chapter="06",
            criterion=f"检查项{i}",
            max_points=Decimal(max_points),
            deduction=Decimal(str(deduction)),
            cap=Decimal(cap if cap is not None else max_points),
            photo_required=photo_required,
        )
    return cl


def plan(c: Center, kinds=("leadership", "office", "window"), code="WIN"):
    from gembahall.inspections.models import InspectionPlan

    return InspectionPlan.objects.create(
        center=c, name="月度考核", target_kinds=list(kinds), checklist_code=code
    )
