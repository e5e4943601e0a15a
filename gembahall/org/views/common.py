"""Helpers the org pages share: scoped lookups and form errors."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ..models import (
    Person,
    Unit,
)


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
