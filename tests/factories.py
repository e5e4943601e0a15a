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
    """Signed in with the password and, where the person's roles require it
    or they have set it up, the second factor given."""
    return account_signed_in(client, p.user)


def account_signed_in(client, user: User):
    """The same for a bare account: a director or an administrator gets a
    confirmed authenticator and a session marked as having given its code
    (django-otp's session key), so that pages open as after a real sign-in;
    anyone else signs in with the password alone, as they would."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gembahall.accounts.otp import otp_required

    person = Person.objects.filter(user=user).first()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and otp_required(person):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
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


def photo(c: Center, u: Unit | None = None, *, by: Person | None = None):
    from gembahall.core.models import Photo

    return Photo.objects.create(
        center=c,
        unit=u,
        uploaded_by=by or person(c),
        image="x.jpg",
        thumbnail="x.jpg",
        sha256=f"{next(_seq):064d}",
        width=1,
        height=1,
        size=1,
    )


def standard(c: Center, title="桌面标准"):
    """A standard with its first version published."""
    from gembahall.standards.models import Standard, StandardVersion

    n = next(_seq)
    std = Standard.objects.create(
        center=c, code=f"S-{n}", title=title, domain="resources", chapter="06"
    )
    version = StandardVersion.objects.create(
        center=c, standard=std, number=1, body=title, state="published"
    )
    std.current = version
    std.save(update_fields=["current"])
    return std


def inspection(u: Unit, checklist_=None):
    from gembahall.inspections.models import Inspection

    return Inspection.objects.create(
        center=u.center,
        checklist=checklist_ or checklist(u.center, n=1, code=f"W{next(_seq)}"),
        unit=u,
        unit_label=str(u),
        inspected_on="2026-01-05",
    )


def problem(u: Unit, description="桌面杂乱", **fields):
    from gembahall.rectification.models import Problem

    fields.setdefault("source", "spot")
    return Problem.objects.create(
        center=u.center, unit=u, description=description, **fields
    )


def practice(u: Unit, title="做法", *, by: Person | None = None):
    from gembahall.rectification.models import Practice

    return Practice.objects.create(
        center=u.center,
        unit=u,
        title=title,
        description="d",
        submitted_by=by or person(u.center, u),
    )


def improvement(c: Center, title="改进", *, owner: Person | None = None):
    from gembahall.rectification.models import Improvement

    return Improvement.objects.create(
        center=c, title=title, goal="目标", owner=owner or person(c)
    )


def source(c: Center, kind="cases", name=None):
    from gembahall.casework.models import Source

    return Source.objects.create(center=c, kind=kind, name=name or f"系统{next(_seq)}")


def service_item(c: Center, name=None, dept: Department | None = None):
    from gembahall.casework.models import ServiceItem

    return ServiceItem.objects.create(
        center=c,
        department=dept or department(c),
        name=name or f"事项{next(_seq)}",
        handling="immediate",
    )


def case(w: Unit, case_no=None, **fields):
    from django.utils import timezone

    from gembahall.casework.models import Case

    today = timezone.localdate()
    return Case.objects.create(
        center=w.center,
        window=w,
        department=w.department,
        case_no=case_no or f"C{next(_seq)}",
        item_name="登记",
        accepted_at=timezone.now(),
        accepted_on=today,
        deadline=today,
        source=source(w.center),
        **fields,
    )


def ticket(w: Unit, ticket_no=None):
    from django.utils import timezone

    from gembahall.casework.models import Ticket

    return Ticket.objects.create(
        center=w.center,
        window=w,
        source=source(w.center, kind="tickets"),
        ticket_no=ticket_no or f"T{next(_seq)}",
        day=timezone.localdate(),
        taken_at=timezone.now(),
    )


def rating(w: Unit, level=5):
    from django.utils import timezone

    from gembahall.ratings.models import Rating

    return Rating.objects.create(
        center=w.center,
        window=w,
        level=level,
        channel="window_qr",
        day=timezone.localdate(),
    )
