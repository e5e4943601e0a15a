"""Org pages: the center tree, units, people, accounts, roles and roster import."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.models import Job
from gembahall.core.permissions import SIGNED_IN, rule
from gembahall.core.urls_fast import record_url

from . import services
from .forms import (
    AccountForm,
    CommitteeJoinForm,
    PairingForm,
    PasswordSetForm,
    PeopleFilterForm,
    PersonForm,
    RoleForm,
    RosterUploadForm,
    UnitEndForm,
    UnitForm,
)
from .models import (
    Center,
    CommitteeMembership,
    Department,
    Pairing,
    Person,
    RoleAssignment,
    Unit,
    UnitVersion,
    mask_phone,
)
from .services import roster_job_start


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
        "zones": units.filter(kind="zone").annotate(
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


def _visible_unit(request, unit):
    return get_object_or_404(
        Unit.objects.visible_to(request.person).select_related(
            "center", "department", "zone", "head", "merged_into"
        ),
        public_id=unit,
    )


@rule(SIGNED_IN)
@require_GET
def unit_detail(request, unit):
    unit = _visible_unit(request, unit)
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
            (a for a in assignments if a.role == "liaison" and a.is_active), None
        ),
        "pairings": unit.pairings.select_related("member").order_by("-valid_from"),
        "versions": versions,
        "show_phone": person.has_perm("org.view_phone", unit=unit),
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
    form = UnitForm(request.POST or None, center=request.center)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.person, center=request.center, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The unit was created."))
            return redirect(unit)
    return render(request, "org/form.html", {"form": form, "title": _("New unit")})


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def unit_edit(request, unit):
    unit = _visible_unit(request, unit)
    if not unit.is_active or not request.person.has_perm("org.edit", unit=unit):
        raise Http404
    form = UnitForm(request.POST or None, instance=unit, center=unit.center)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.person, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect(unit)
    title = _("Edit %(unit)s") % {"unit": unit}
    return render(
        request, "org/form.html", {"form": form, "title": title, "back": unit}
    )


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def unit_end(request, unit):
    unit = _visible_unit(request, unit)
    if not unit.is_active or not request.person.has_perm("org.edit", unit=unit):
        raise Http404
    form = UnitEndForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_end(
                actor=request.person,
                unit=unit,
                merged_into=form.cleaned_data["merged_into"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The unit was ended; its history is kept."))
            return redirect(unit)
    title = _("End %(unit)s") % {"unit": unit}
    return render(
        request, "org/form.html", {"form": form, "title": title, "back": unit}
    )


PEOPLE_LIST_COLUMNS = (
    "public_id", "name", "staff_number", "title", "phone", "user_id",
    "unit__code", "unit__name",
)  # fmt: skip


@rule("org.view")
@require_GET
def people(request):
    center, person = request.center, request.person
    form = PeopleFilterForm(request.GET or None)
    show_phone = person.has_perm("org.view_phone", center=center)
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    key = (
        f"people:{center.pk}:{center.org_version}:{get_language()}:{show_phone}:{query}"
    )
    table = cache.get(key)
    if table is not None:
        table = mark_safe(table)  # noqa: S308 - rendered by the template above
    else:
        page = _people_page(request, form)
        ctx = {"page": page, "rows": _people_rows(page, show_phone)}
        table = render_to_string("org/people.html#table", ctx, request=request)
        cache.set(key, table, 600)
    ctx = {
        "form": form,
        "table": table,
        "can_edit": person.has_perm("org.edit", center=center),
    }
    return render(request, "org/people.html", ctx)


def _people_page(request, form):
    rows = (
        Person.objects.visible_to(request.person)
        .active()
        .filter(center=request.center)
        .order_by("staff_number")
        .values_list(*PEOPLE_LIST_COLUMNS, named=True)
    )
    if form.is_valid():
        if q := form.cleaned_data["q"]:
            rows = rows.filter(
                Q(name__icontains=q)
                | Q(staff_number__icontains=q)
                | Q(unit__code__iexact=q)
                | Q(unit__name__icontains=q)
            )
        if kind := form.cleaned_data["unit_kind"]:
            rows = rows.filter(unit__kind=kind)
    return Paginator(rows, 50).get_page(request.GET.get("page"))


def _people_rows(page, show_phone: bool) -> list[dict]:
    """Plain rows for the people table: a page of 50 renders without building
    model instances."""
    return [
        {
            "url": record_url("org:person_detail", r.public_id),
            "staff_number": r.staff_number,
            "name": r.name,
            "unit": f"{r.unit__code} {r.unit__name}".strip() if r.unit__name else "",
            "title": r.title,
            "phone": r.phone if show_phone else mask_phone(r.phone),
            "has_account": r.user_id is not None,
        }
        for r in page
    ]


def _visible_person(request, person):
    return get_object_or_404(
        Person.objects.visible_to(request.person).select_related(
            "center", "unit", "unit__department", "user"
        ),
        public_id=person,
    )


@rule(SIGNED_IN)
@require_GET
def person_detail(request, person):
    target = _visible_person(request, person)
    me = request.person
    assignments = (
        target.roles.select_related("unit", "center")
        .prefetch_related("unit__versions")
        .order_by("-valid_from")
    )
    ctx = {
        "target": target,
        "assignments": assignments,
        "seats": target.committee_seats.order_by("-valid_from"),
        "pairings": target.pairings.select_related("unit").order_by("-valid_from"),
        "show_phone": target.pk == me.pk
        or me.has_perm("org.view_phone", center=target.center)
        or (target.unit and me.has_perm("org.view_phone", unit=target.unit)),
        "can_edit": me.has_perm("org.edit", center=target.center),
        "can_account": me.has_perm("accounts.manage", center=target.center),
        "can_roles": me.has_perm("roles.assign", center=target.center)
        and target.pk != me.pk,
    }
    return render(request, "org/person_detail.html", ctx)


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None, center=request.center)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in PersonForm.Meta.fields}
        try:
            target = services.person_create(
                actor=request.person, center=request.center, **data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The person was added."))
            return redirect(target)
    return render(request, "org/form.html", {"form": form, "title": _("New person")})


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def person_edit(request, person):
    target = _visible_person(request, person)
    if not request.person.has_perm("org.edit", center=target.center):
        raise Http404
    form = PersonForm(request.POST or None, instance=target, center=target.center)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in PersonForm.Meta.fields}
        try:
            services.person_update(actor=request.person, person=target, **data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The person was saved."))
            return redirect(target)
    title = _("Edit %(person)s") % {"person": target}
    return render(
        request, "org/form.html", {"form": form, "title": title, "back": target}
    )


@rule("accounts.manage")
@require_http_methods(["GET", "POST"])
def account_create(request, person):
    """Open an account for a person, or set a new password on the one they have."""
    target = _visible_person(request, person)
    if not request.person.has_perm("accounts.manage", center=target.center):
        raise Http404
    has_account = target.user_id is not None
    form = (PasswordSetForm if has_account else AccountForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if has_account:
                services.account_set_password(
                    actor=request.person, person=target, **form.cleaned_data
                )
            else:
                services.account_create(
                    actor=request.person, person=target, **form.cleaned_data
                )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            done = (
                _("The password was set.")
                if has_account
                else _("The account was created.")
            )
            messages.success(request, done)
            return redirect(target)
    title = (
        _("New password for %(person)s") if has_account else _("Account for %(person)s")
    ) % {"person": target}
    return render(
        request, "org/form.html", {"form": form, "title": title, "back": target}
    )


@rule("roles.assign")
@require_http_methods(["GET", "POST"])
def role_assign(request, person):
    target = _visible_person(request, person)
    if not request.person.has_perm("roles.assign", center=target.center):
        raise Http404
    form = RoleForm(request.POST or None, person=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(
                actor=request.person, person=target, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The role was granted."))
            return redirect(target)
    title = _("Grant a role to %(person)s") % {"person": target}
    return render(
        request, "org/form.html", {"form": form, "title": title, "back": target}
    )


@rule("roles.assign")
@require_POST
def role_end(request, assignment):
    assignment = get_object_or_404(
        RoleAssignment.objects.visible_to(request.person).select_related(
            "person", "center"
        ),
        public_id=assignment,
    )
    try:
        services.role_end(actor=request.person, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was ended."))
    return redirect(assignment.person)


@rule("org.import")
@require_GET
def roster_sample(request):
    from django.conf import settings

    path = settings.BASE_DIR / "docs" / "roster-sample.xlsx"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="roster-sample.xlsx"
    )


@rule("org.import")
@require_http_methods(["GET", "POST"])
def roster_import(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = roster_job_start(
            actor=request.person,
            center=request.center,
            upload=form.cleaned_data["file"],
        )
        return redirect("org:import_job", job=job.public_id)
    return render(request, "org/roster_import.html", {"form": form})


def _visible_import_job(request, job):
    return get_object_or_404(
        Job.objects.filter(
            kind="roster_import",
            center__in=Center.objects.visible_to(request.person),
        ).select_related("center"),
        public_id=job,
    )


@rule("org.import")
@require_GET
def roster_import_job(request, job):
    job = _visible_import_job(request, job)
    if not request.person.has_perm("org.import", center=job.center):
        raise Http404
    template = "org/roster_job.html#progress" if request.htmx else "org/roster_job.html"
    return render(request, template, {"job": job})


@rule("org.import")
@require_POST
def roster_import_confirm(request, job):
    job = _visible_import_job(request, job)
    if not request.person.has_perm("org.import", center=job.center):
        raise Http404
    if not job.params.get("dry_run") or job.state != Job.State.DONE:
        messages.error(request, _("Only a preview without errors can be imported."))
        return redirect("org:import_job", job=job.public_id)
    new_job = roster_job_start(
        actor=request.person, center=job.center, path=job.params["path"]
    )
    return redirect("org:import_job", job=new_job.public_id)


@rule("org.view")
@require_GET
def committee(request):
    center, person = request.center, request.person
    seats = (
        CommitteeMembership.objects.visible_to(person)
        .filter(center=center)
        .select_related("person", "person__unit")
        .order_by("valid_to", "position", "valid_from")
    )
    pairings = (
        Pairing.objects.visible_to(person)
        .active()
        .filter(center=center)
        .select_related("member", "unit")
        .order_by("unit__code")
    )
    can_manage = person.has_perm("committee.manage", center=center)
    ctx = {
        "seats": seats,
        "pairings": pairings,
        "can_manage": can_manage,
        "form": CommitteeJoinForm(center=center) if can_manage else None,
    }
    return render(request, "org/committee.html", ctx)


@rule("committee.manage")
@require_POST
def committee_join(request):
    form = CommitteeJoinForm(request.POST, center=request.center)
    if form.is_valid():
        try:
            services.committee_join(actor=request.person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The member joined the committee."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("org:committee")


@rule("committee.manage")
@require_POST
def committee_leave(request, seat):
    seat = get_object_or_404(
        CommitteeMembership.objects.visible_to(request.person).select_related("center"),
        public_id=seat,
    )
    try:
        services.committee_leave(actor=request.person, seat=seat)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The seat was ended; its pairings ended with it."))
    return redirect("org:committee")


@rule("committee.manage")
@require_POST
def pairing_add(request, unit):
    unit = _visible_unit(request, unit)
    form = PairingForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            services.pairing_add(actor=request.person, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The pairing was added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(unit)


@rule("committee.manage")
@require_POST
def pairing_end(request, pairing):
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.person).select_related("center", "unit"),
        public_id=pairing,
    )
    try:
        services.pairing_end(actor=request.person, pairing=pairing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pairing was ended."))
    return redirect(pairing.unit)
