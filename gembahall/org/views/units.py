"""The center's org tree and the unit pages."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gembahall.core.permissions import ANY_ROLE, rule

from .. import services
from ..forms import (
    PairingForm,
    UnitEndForm,
    UnitForm,
)
from ..models import (
    Department,
    RoleAssignment,
    Unit,
    UnitVersion,
)
from .common import form_page, visible_unit


@rule("org.view")
@require_GET
def tree(request):
    return _render_tree(request, request.center)


@rule("org.view")
@require_GET
def center_tree(request, center):
    visible = {c.public_id: c for c in request.visible_centers}
    if center not in visible:
        raise Http404
    return _render_tree(request, visible[center])


def _render_tree(request, center):
    if center is None or not request.person.has_perm("org.view", center=center):
        raise Http404
    units = Unit.objects.active().filter(center=center)
    ctx = {
        "center": center,
        "parent": next(
            (c for c in request.visible_centers if c.pk == center.parent_id), None
        ),
        "sub_centers": [c for c in request.visible_centers if c.parent_id == center.pk],
        "leadership": units.filter(kind__in=["leadership", "office"]).select_related(
            "head"
        ),
        "zones": units.filter(kind=Unit.Kind.ZONE).annotate(
            n_windows=Count("zone_units", filter=Q(zone_units__valid_to__isnull=True))
        ),
        "departments": Department.objects.active()
        .filter(center=center)
        .annotate(n_windows=Count("windows", filter=Q(windows__valid_to__isnull=True)))
        .order_by("name"),
        "without_liaison": units.without_liaison(),
    }
    return render(request, "org/tree.html", ctx)


@rule("org.view")
@require_GET
def department_windows(request, department):
    department = get_object_or_404(
        Department.objects.visible_to(request.person).select_related("center"),
        public_id=department,
    )
    windows = (
        department.windows.active()
        .select_related("head", "zone")
        .annotate(
            n_people=Count("people", filter=Q(people__valid_to__isnull=True)),
            has_liaison=Count(
                "role_assignments",
                filter=Q(
                    role_assignments__role="liaison",
                    role_assignments__valid_to__isnull=True,
                ),
            ),
        )
        .order_by("code")
    )
    ctx = {"windows": windows, "department": department}
    return render(request, "org/tree.html#windows", ctx)


@rule(ANY_ROLE)
@require_GET
def unit_detail(request, unit):
    unit = visible_unit(request, unit)
    versions = UnitVersion.objects.filter(unit=unit).order_by("valid_from")
    assignments = (
        RoleAssignment.objects.filter(unit=unit)
        .select_related("person")
        .prefetch_related(Prefetch("unit__versions", queryset=versions))
        .order_by("-valid_from")
    )
    person = request.person
    ctx = {
        "unit": unit,
        "people": unit.people.active().order_by("-is_leader", "staff_number"),
        "assignments": assignments,
        "liaison": next(
            (
                a
                for a in assignments
                if a.role == RoleAssignment.Role.LIAISON and a.is_active
            ),
            None,
        ),
        "pairings": unit.pairings.select_related("member").order_by("-valid_from"),
        "versions": versions,
        "can_edit": person.has_perm("org.edit", unit=unit),
        "pairing_form": PairingForm(unit=unit)
        if unit.is_window
        and unit.is_active
        and person.has_perm("committee.manage", center=unit.center)
        else None,
    }
    return render(request, "org/unit_detail.html", ctx)


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def unit_create(request):
    return form_page(
        request,
        UnitForm(request.POST or None, center=request.center),
        lambda data: services.unit_create(
            actor=request.person, center=request.center, **data
        ),
        done=_("The unit was created."),
        title=_("New unit"),
    )


def editable_unit(request, unit):
    unit = visible_unit(request, unit)
    if not unit.is_active or not request.person.has_perm("org.edit", unit=unit):
        raise Http404
    return unit


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def unit_edit(request, unit):
    unit = editable_unit(request, unit)
    return form_page(
        request,
        UnitForm(request.POST or None, instance=unit, center=unit.center),
        lambda data: services.unit_update(actor=request.person, unit=unit, **data),
        done=_("The unit was saved."),
        title=_("Edit %(unit)s") % {"unit": unit},
        back=unit,
    )


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def unit_end(request, unit):
    unit = editable_unit(request, unit)
    return form_page(
        request,
        UnitEndForm(request.POST or None, unit=unit),
        lambda data: services.unit_end(actor=request.person, unit=unit, **data),
        done=_("The unit was ended; its history is kept."),
        title=_("End %(unit)s") % {"unit": unit},
        back=unit,
    )
