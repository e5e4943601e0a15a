"""The promotion committee and its pairings with windows."""

from django.shortcuts import get_object_or_404, render
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
from .common import run_action, visible_unit


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
    return run_action(
        request,
        lambda: services.committee_join(actor=request.person, **form.cleaned_data),
        done=_("The member joined the committee."),
        then="org:committee",
        form=form,
    )


@rule("committee.manage")
@require_POST
def committee_leave(request, seat):
    seat = get_object_or_404(
        CommitteeMembership.objects.visible_to(request.person).select_related("center"),
        public_id=seat,
    )
    return run_action(
        request,
        lambda: services.committee_leave(actor=request.person, seat=seat),
        done=_("The seat was ended; its pairings ended with it."),
        then="org:committee",
    )


@rule("committee.manage")
@require_POST
def pairing_add(request, unit):
    unit = visible_unit(request, unit)
    form = PairingForm(request.POST, unit=unit)
    return run_action(
        request,
        lambda: services.pairing_add(
            actor=request.person, unit=unit, **form.cleaned_data
        ),
        done=_("The pairing was added."),
        then=unit,
        form=form,
    )


@rule("committee.manage")
@require_POST
def pairing_end(request, pairing):
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.person).select_related("center", "unit"),
        public_id=pairing,
    )
    return run_action(
        request,
        lambda: services.pairing_end(actor=request.person, pairing=pairing),
        done=_("The pairing was ended."),
        then=pairing.unit,
    )
