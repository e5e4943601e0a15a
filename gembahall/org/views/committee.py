"""The promotion committee and its pairings with windows."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gembahall.core.permissions import rule

from .. import services
from ..forms import (
    CommitteeJoinForm,
    PairingForm,
)
from ..models import (
    CommitteeMembership,
    Pairing,
)
from .common import visible_unit


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
    unit = visible_unit(request, unit)
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
