"""Helpers the org pages share: scoped lookups and form errors."""

from django.shortcuts import get_object_or_404

from gembahall.core.pages import form_errors, form_page, run_action  # noqa: F401

from ..models import (
    Person,
    Unit,
)


def visible_unit(request, unit):
    return get_object_or_404(
        Unit.objects.visible_to(request.person).select_related(
            "center", "department", "zone", "head", "merged_into"
        ),
        public_id=unit,
    )


def visible_person(request, person):
    return get_object_or_404(
        Person.objects.visible_to(request.person).select_related(
            "center", "unit", "unit__department", "user"
        ),
        public_id=person,
    )
