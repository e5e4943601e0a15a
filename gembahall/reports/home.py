"""The home page: what each role sees, read from the data — the to-do list and
the panels apps register, the base layer's own sections, and the day's
standards, inspections and problems."""

from datetime import timedelta

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gembahall.core.home import panels_for
from gembahall.core.models import Event, Job
from gembahall.core.permissions import ANY_ROLE, rule
from gembahall.core.todo import todos_for
from gembahall.inspections.models import Inspection
from gembahall.org.models import Center, Department, Person, RoleAssignment, Unit
from gembahall.rectification.models import Practice, Problem
from gembahall.rectification.queries import overdue_for
from gembahall.standards.queries import standards_for, todays_dress_code

# Home lists show this many rows, with the total and a link to all of them.
SHOWN = 8


@rule(ANY_ROLE)
@require_GET
def home(request):
    return render(request, "core/home.html", home_context(request))


def home_context(request) -> dict:
    person, center = request.person, request.center
    roles = person.scope.roles
    todos = todos_for(person, center)
    ctx: dict = {
        "todos": todos,
        "todo_total": sum(t.count for t in todos),
        "panels": panels_for(person, center),
    }
    if center and person.has_perm("org.view", center=center):
        ctx["overview"] = center_overview(center)
    if "window_head" in roles or "liaison" in roles:
        ctx["my_windows"] = my_windows(person)
    ctx["my_roles"] = (
        RoleAssignment.objects.active()
        .filter(person=person)
        .select_related("unit", "center")
    )
    # The administrators' home shows their duty, never the hall's work.
    if center and person.scope.working.roles:
        ctx.update(osm_context(person, center))
    if "sysadmin" in roles and center:
        ctx["jobs"] = (
            Job.objects.visible_to(person)
            .filter(center=center)
            .order_by("-created_at")[:5]
        )
        ctx["without_account"] = (
            Person.objects.active().filter(center=center, user__isnull=True).count()
        )
    if "security_admin" in roles and center:
        ctx["recent_grants"] = (
            RoleAssignment.objects.filter(center=center)
            .select_related("person", "unit")
            .order_by("-valid_from")[:8]
        )
    if person.has_perm("audit.view"):
        ctx["audit"] = audit_summary(person)
    return ctx


def center_overview(center: Center) -> dict:
    units = Unit.objects.active().filter(center=center)
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
        "windows": units.windows().count(),
        "people": Person.objects.active().filter(center=center).count(),
        "departments": Department.objects.active().filter(center=center).count(),
        "without_liaison": list(
            units.without_liaison().select_related("department").order_by("code")[:12]
        ),
        "without_liaison_count": units.without_liaison().count(),
        "chart": chart,
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
        .filter(unit__in=windows, role=RoleAssignment.Role.LIAISON)
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
    events = Event.objects.visible_to(person)
    since = timezone.now() - timedelta(hours=24)
    return {
        "recent": list(events[:8]),
        "failed_sign_ins": events.filter(
            action="auth.sign_in", result=Event.Result.FAILED, at__gte=since
        ).count(),
    }


def osm_context(person, center) -> dict:
    """Today's dress code, standards still to acknowledge, inspections to carry
    on with and the open problems of the person's window."""
    standards = standards_for(person, center)
    ctx: dict = {
        "dress_code": todays_dress_code(standards),
        "standards_pending": sum(not row["acknowledged"] for row in standards),
        "can_report": person.has_perm("problems.report"),
    }
    if person.has_perm("inspections.perform", center=center):
        drafts = Inspection.objects.filter(
            center=center, state=Inspection.State.DRAFT, kind=Inspection.Kind.OFFICIAL
        )
        ctx["inspection_todo"] = list(
            drafts.order_by("tier", "inspected_on", "unit_label").values(
                "public_id", "unit_label", "checklist__title", "inspected_on"
            )[:SHOWN]
        )
        ctx["inspection_todo_count"] = drafts.count()
    if person.unit_id and person.has_perm("inspections.unit", unit=person.unit):
        open_problems = Problem.objects.filter(unit_id=person.unit_id).not_closed()
        ctx["unit_problems"] = list(
            open_problems.order_by("deadline", "created_at")[:SHOWN]
        )
        ctx["unit_problems_count"] = open_problems.count()
    ctx.update(overdue_for(person, center, limit=SHOWN))
    if person.unit_id and person.unit.kind == Unit.Kind.WINDOW:
        others = Practice.objects.filter(
            center=center, state=Practice.State.PUBLISHED
        ).exclude(unit_id=person.unit_id)
        ctx["practices"] = list(others.select_related("unit")[:3])
        ctx["practices_count"] = others.count()
    return ctx
