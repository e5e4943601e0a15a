"""What each role sees on its home page, read from the data."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from gembahall.org.models import Center, Department, Person, RoleAssignment, Unit

from .audit import events_visible_to
from .models import Event, Job


def home_context(request) -> dict:
    person, center = request.person, request.center
    roles = person.scope.roles
    ctx: dict = {"roles": roles, "center": center, "sections": []}
    if roles & {"director", "inspector", "sysadmin", "security_admin"} and center:
        ctx["overview"] = center_overview(person, center)
    if "window_head" in roles or "liaison" in roles:
        ctx["my_windows"] = my_windows(person)
    ctx["my_roles"] = (
        RoleAssignment.objects.active()
        .filter(person=person)
        .select_related("unit", "center")
    )
    if "sysadmin" in roles and center:
        ctx["jobs"] = Job.objects.filter(center=center).order_by("-created_at")[:5]
        ctx["without_account"] = (
            Person.objects.active().filter(center=center, user__isnull=True).count()
        )
    if "security_admin" in roles and center:
        ctx["recent_grants"] = (
            RoleAssignment.objects.filter(center=center)
            .select_related("person", "unit")
            .order_by("-valid_from")[:8]
        )
    if "audit.view" in _perms(person):
        ctx["audit"] = audit_summary(person)
    return ctx


def _perms(person) -> set[str]:
    from .permissions import ROLE_PERMISSIONS

    return set().union(*(ROLE_PERMISSIONS[r] for r in person.scope.roles))


def center_overview(person, center: Center) -> dict:
    units = Unit.objects.active().filter(center=center)
    counts = units.aggregate(
        windows=Count("pk", filter=Q(kind__in=Unit.WINDOW_KINDS)),
        offices=Count("pk", filter=Q(kind=Unit.Kind.OFFICE)),
        zones=Count("pk", filter=Q(kind=Unit.Kind.ZONE)),
    )
    by_department = list(
        Person.objects.active()
        .filter(center=center, unit__department__isnull=False)
        .values("unit__department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__department__name")[:12]
    )
    chart = {
        "labels": [row["unit__department__name"] for row in reversed(by_department)],
        "values": [row["n"] for row in reversed(by_department)],
    }
    return {
        **counts,
        "people": Person.objects.active().filter(center=center).count(),
        "departments": Department.objects.active().filter(center=center).count(),
        "sub_centers": Center.objects.filter(parent=center).count(),
        "without_liaison": list(
            units.without_liaison().select_related("department").order_by("code")[:12]
        ),
        "without_liaison_count": units.without_liaison().count(),
        "chart": chart,
        "can_see_phone": person.has_perm("org.view_phone", center=center),
    }


def my_windows(person) -> list[dict]:
    unit_ids = {g.unit_id for g in person.scope.grants if g.unit_id}
    windows = (
        Unit.objects.active()
        .filter(pk__in=unit_ids)
        .select_related("department", "head")
    )
    people = Person.objects.active().filter(unit__in=windows).order_by("staff_number")
    liaisons = dict(
        RoleAssignment.objects.active()
        .filter(unit__in=windows, role="liaison")
        .values_list("unit_id", "person__name")
    )
    by_unit: dict[int, list] = {}
    for p in people:
        by_unit.setdefault(p.unit_id, []).append(p)
    return [
        {"unit": w, "people": by_unit.get(w.pk, []), "liaison": liaisons.get(w.pk)}
        for w in windows
    ]


def audit_summary(person) -> dict:
    events = events_visible_to(person)
    since = timezone.now() - timedelta(hours=24)
    return {
        "recent": list(events[:8]),
        "failed_sign_ins": events.filter(
            action="auth.sign_in", result=Event.Result.FAILED, at__gte=since
        ).count(),
    }
