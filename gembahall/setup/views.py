"""The first-run page: what the starter content holds, what the center has,
and the buttons that load it (the OSM office) and publish its standards (the
director)."""

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gembahall.core.pages import run_action
from gembahall.core.permissions import rule

from .services import (
    STARTER,
    center_content,
    center_setup,
    starter_contents,
    starter_drafts_publish,
)

PAGE_RULE = ("center.setup", "standards.publish")


def _center(request, permission=PAGE_RULE):
    center = request.center
    wanted = (permission,) if isinstance(permission, str) else permission
    if center is None or not any(
        request.person.has_perm(one, center=center) for one in wanted
    ):
        raise Http404
    return center


@rule(PAGE_RULE)
@require_GET
def first_run(request):
    center = _center(request)
    person = request.person
    ctx = {
        "center": center,
        "starter": starter_contents(),
        "content": center_content(center),
        "can_load": person.has_perm("center.setup", center=center),
        "can_publish": person.has_perm("standards.publish", center=center),
    }
    return render(request, "setup/first_run.html", ctx)


@rule("center.setup")
@require_POST
def load(request):
    center = _center(request, "center.setup")
    started = time.monotonic()
    try:
        result = center_setup(actor=request.person, center=center, source=STARTER)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("setup:first_run")
    seconds = time.monotonic() - started
    messages.success(
        request,
        _(
            "Loaded %(checklists)s checklists, %(standards)s standards and "
            "%(items)s service items in %(seconds).1f s."
        )
        % {
            "checklists": result.checklists,
            "standards": result.standards,
            "items": result.service_items,
            "seconds": seconds,
        },
    )
    return redirect("setup:first_run")


@rule("standards.publish")
@require_POST
def publish(request):
    center = _center(request, "standards.publish")
    return run_action(
        request,
        lambda: starter_drafts_publish(actor=request.person, center=center),
        done=_("The standard drafts are published."),
        then="setup:first_run",
    )
