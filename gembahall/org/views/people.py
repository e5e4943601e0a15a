"""The people list, person pages, accounts and role assignments."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.accounts.otp import otp_enrolled
from gembahall.core.permissions import ANY_ROLE, rule
from gembahall.core.urls_fast import record_url

from .. import services
from ..forms import (
    AccountForm,
    PasswordSetForm,
    PeopleFilterForm,
    PersonForm,
    RoleForm,
)
from ..models import (
    Person,
    RoleAssignment,
    mask_phone,
)
from .common import form_page, run_action, visible_person

PEOPLE_LIST_COLUMNS = (
    "public_id",
    "name",
    "staff_number",
    "title",
    "phone",
    "user_id",
    "unit__code",
    "unit__name",
)


@rule("org.view")
@require_GET
def people(request):
    center, person = request.center, request.person
    form = PeopleFilterForm(request.GET or None)
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    key = f"people:{center.pk}:{center.org_version}:{get_language()}:{query}"
    table = cache.get(key)
    if table is not None:
        table = mark_safe(table)  # noqa: S308 - rendered by the template above
    else:
        page = _people_page(request, form)
        ctx = {"page": page, "rows": _people_rows(page)}
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


def _people_rows(page) -> list[dict]:
    """Plain rows for the people table: a page of 50 renders without building
    model instances. Numbers are masked: a full one is revealed on the
    person's page, on purpose and on the trail."""
    return [
        {
            "url": record_url("org:person_detail", r.public_id),
            "staff_number": r.staff_number,
            "name": r.name,
            "unit": f"{r.unit__code} {r.unit__name}".strip() if r.unit__name else "",
            "title": r.title,
            "phone": mask_phone(r.phone),
            "has_account": r.user_id is not None,
        }
        for r in page
    ]


@rule(ANY_ROLE)
@require_GET
def person_detail(request, person):
    target = visible_person(request, person)
    return render(request, "org/person_detail.html", _detail(request.person, target))


@rule("org.view_phone")
@require_POST
def person_phone(request, person):
    """The person's full number on this answer only, written to the trail;
    the next visit shows the masked number again."""
    target = visible_person(request, person)
    phone = services.person_phone_reveal(actor=request.person, person=target)
    ctx = _detail(request.person, target) | {"revealed_phone": phone}
    return render(request, "org/person_detail.html", ctx)


def _detail(me, target) -> dict:
    assignments = (
        target.roles.select_related("unit", "center")
        .prefetch_related("unit__versions")
        .order_by("-valid_from")
    )
    return {
        "target": target,
        "assignments": assignments,
        "seats": target.committee_seats.order_by("-valid_from"),
        "pairings": target.pairings.select_related("unit").order_by("-valid_from"),
        "may_reveal": services.may_see_phone(me, target),
        "can_edit": me.has_perm("org.edit", center=target.center),
        "can_account": services.may_act_on_account(me, target),
        "can_roles": me.has_perm("roles.assign", center=target.center)
        and target.pk != me.pk,
        "otp_enrolled": target.user_id is not None and otp_enrolled(target.user),
        "can_otp_reset": me.has_perm("otp.reset", center=target.center)
        and target.pk != me.pk,
    }


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None, center=request.center)
    return form_page(
        request,
        form,
        lambda data: services.person_create(
            actor=request.person, center=request.center, **person_fields(data)
        ),
        done=_("The person was added."),
        title=_("New person"),
    )


@rule("org.edit")
@require_http_methods(["GET", "POST"])
def person_edit(request, person):
    target = visible_person(request, person)
    if not request.person.has_perm("org.edit", center=target.center):
        raise Http404
    form = PersonForm(request.POST or None, instance=target, center=target.center)
    return form_page(
        request,
        form,
        lambda data: services.person_update(
            actor=request.person, person=target, **person_fields(data)
        ),
        done=_("The person was saved."),
        title=_("Edit %(person)s") % {"person": target},
        back=target,
    )


def person_fields(data: dict) -> dict:
    return {f: data[f] for f in PersonForm.Meta.fields}


@rule(("accounts.manage", "roles.assign"))
@require_http_methods(["GET", "POST"])
def account_create(request, person):
    """Open an account for a person, or set a new password on the one they have:
    the system administrator's duty, the security administrator's for an
    administrator's account, nobody's for their own."""
    target = visible_person(request, person)
    if not services.may_act_on_account(request.person, target):
        raise Http404
    actor = request.person
    if target.user_id is not None:
        return form_page(
            request,
            PasswordSetForm(request.POST or None),
            lambda data: (
                services.account_set_password(actor=actor, person=target, **data).person
            ),
            done=_("The password was set."),
            title=_("New password for %(person)s") % {"person": target},
            back=target,
        )
    return form_page(
        request,
        AccountForm(request.POST or None),
        lambda data: services.account_create(actor=actor, person=target, **data).person,
        done=_("The account was created."),
        title=_("Account for %(person)s") % {"person": target},
        back=target,
    )


@rule("roles.assign")
@require_http_methods(["GET", "POST"])
def role_assign(request, person):
    target = visible_person(request, person)
    if not request.person.has_perm("roles.assign", center=target.center):
        raise Http404
    return form_page(
        request,
        RoleForm(request.POST or None, person=target),
        lambda data: (
            services.role_assign(actor=request.person, person=target, **data).person
        ),
        done=_("The role was granted."),
        title=_("Grant a role to %(person)s") % {"person": target},
        back=target,
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
    return run_action(
        request,
        lambda: services.role_end(actor=request.person, assignment=assignment),
        done=_("The role was ended."),
        then=assignment.person,
    )
