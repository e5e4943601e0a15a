"""My sessions: where the account is signed in, and ending any of them."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gembahall.core.permissions import ANY_ROLE, rule

from .models import SignedInSession
from .sessions import session_end, sessions_live

# Checked in order: Edge and WeChat also name Chrome and Safari.
BROWSERS = (
    ("MicroMessenger", "WeChat"),
    ("Edg", "Edge"),
    ("Firefox", "Firefox"),
    ("Chrome", "Chrome"),
    ("Safari", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def browser_label(user_agent: str) -> str:
    """ "Chrome · Android" from a browser's User-Agent; the raw string, cut
    short, for one this does not know."""
    browser = next((name for token, name in BROWSERS if token in user_agent), "")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    label = " · ".join(part for part in (browser, system) if part)
    return label or re.sub(r"\s+", " ", user_agent)[:60]


@rule(ANY_ROLE)
@require_GET
def my_sessions(request):
    current = request.session.session_key
    rows = [
        {
            "session": live.row,
            "last_seen_at": live.last_seen_at,
            "browser": browser_label(live.row.user_agent),
            "current": live.row.session_key == current,
        }
        for live in sessions_live(request.user, current)
    ]
    return render(
        request,
        "accounts/sessions.html",
        {"rows": rows, "session_cap": settings.SESSION_CAP},
    )


@rule(ANY_ROLE)
@require_POST
def my_session_end(request, session):
    row = get_object_or_404(
        SignedInSession.objects.visible_to(request.person).select_related("user"),
        public_id=session,
    )
    current = row.session_key == request.session.session_key
    session_end(actor=request.person, session=row)
    if current:
        logout(request)
        return redirect("accounts:login")
    messages.success(request, _("The session was ended."))
    return redirect("accounts:sessions")
