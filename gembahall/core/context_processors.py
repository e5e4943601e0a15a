"""Values every page's layout needs: the person, the center and the navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Notification
from .permissions import ANY_ROLE, SIGNED_IN, allowed

NAV = [
    # (label, url name, permission(s) or None for anyone with a business role
    # (the rule SIGNED_IN), icon),
    # or (label, None, None, icon, [children]) for a menu of pages.
    (_("Home"), "core:home", ANY_ROLE, "house"),
    (_("Standards"), "standards:library", None, "bookmark-check"),
    (_("Inspections"), "inspections:index", None, "clipboard-check"),
    (_("Rankings"), "inspections:ranking", "inspections.results", "trophy"),
    (_("Problems"), "rectification:problems", None, "exclamation-triangle"),
    (
        _("Service"),
        None,
        None,
        "speedometer2",
        [
            (
                _("Window service"),
                "reports:dashboard",
                ("service.view", "service.unit"),
            ),
            (_("Ratings"), "ratings:list", "ratings.view"),
            (
                _("Cases"),
                "casework:cases",
                ("service.view", "service.unit", "cases.notice"),
            ),
            (
                _("Agent service"),
                "casework:agent_requests",
                ("service.view", "agent.serve"),
            ),
            (_("Catalogue"), "casework:catalogue", None),
            (_("Inquiries"), "casework:inquiries", ("inquiries.log", "service.view")),
            (_("Record import"), "casework:import", "service.import"),
        ],
    ),
    (
        _("Organisation"),
        None,
        None,
        "diagram-3",
        [
            (_("Organisation"), "org:tree", "org.view"),
            (_("People"), "org:people", "org.view"),
            (_("Committee"), "org:committee", "org.view"),
            (_("Roster import"), "org:import", "org.import"),
        ],
    ),
    (_("Calendar"), "core:calendar", None, "calendar3"),
    (_("Audit trail"), "core:audit", "audit.view", "journal-text"),
]


def unread_count(request, person) -> int:
    """Counted once per request, however many templates render."""
    if not hasattr(request, "_gemba_unread"):
        request._gemba_unread = (
            Notification.objects.filter(person=person).unread().count()
        )
    return request._gemba_unread


def _allowed(person, roles, perm) -> bool:
    """The page's own rule: the menu offers what the person may open."""
    perm = perm or SIGNED_IN
    return bool(roles) and allowed(
        person, perm, (perm,) if isinstance(perm, str) else tuple(perm)
    )


def shell(request):
    person = getattr(request, "person", None)
    if person is None:
        return {}
    roles = person.scope.roles
    items = []
    for label, name, perm, icon, *children in NAV:
        if children:
            pages = [
                {
                    "label": c_label,
                    "url": reverse(c_name),
                    "active": request.path.startswith(reverse(c_name)),
                }
                for c_label, c_name, c_perm in children[0]
                if _allowed(person, roles, c_perm)
            ]
            if pages:
                items.append(
                    {
                        "label": label,
                        "icon": icon,
                        "children": pages,
                        "active": any(p["active"] for p in pages),
                    }
                )
        elif _allowed(person, roles, perm):
            items.append(
                {
                    "label": label,
                    "url": reverse(name),
                    "icon": icon,
                    "active": request.path == reverse(name)
                    or (
                        name == "rectification:problems"
                        and request.path.startswith(reverse(name))
                    ),
                }
            )
    return {
        "unread_notifications": unread_count(request, person),
        "nav_items": items,
        "perms_overview": person.has_perm("problems.overview"),
        "current_center": getattr(request, "center", None),
        "visible_centers": getattr(request, "visible_centers", []),
    }
