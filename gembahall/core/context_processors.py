"""Values every page's layout needs: the person, the center and the navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAV = [
    # (label, url name, permission or None for anyone with a role)
    (_("Home"), "core:home", None, "house"),
    (_("Standards"), "standards:library", None, "bookmark-check"),
    (_("Inspections"), "inspections:index", None, "clipboard-check"),
    (_("Rankings"), "inspections:ranking", "inspections.results", "trophy"),
    (_("Problems"), "rectification:problems", None, "exclamation-triangle"),
    (
        _("Service"),
        "reports:dashboard",
        ("service.view", "service.unit"),
        "speedometer2",
    ),
    (_("Ratings"), "ratings:list", "ratings.view", "star-half"),
    (_("Catalogue"), "casework:catalogue", None, "card-checklist"),
    (
        _("Inquiries"),
        "casework:inquiries",
        ("inquiries.log", "service.view"),
        "chat-dots",
    ),
    (_("Record import"), "casework:import", "service.import", "cloud-upload"),
    (_("Organisation"), "org:tree", "org.view", "diagram-3"),
    (_("People"), "org:people", "org.view", "people"),
    (_("Committee"), "org:committee", "org.view", "people-fill"),
    (_("Roster import"), "org:import", "org.import", "upload"),
    (_("Calendar"), "core:calendar", None, "calendar3"),
    (_("Audit trail"), "core:audit", "audit.view", "journal-text"),
]


def unread_count(request, person) -> int:
    """Counted once per request, however many templates render."""
    from .models import Notification

    if not hasattr(request, "_gemba_unread"):
        request._gemba_unread = (
            Notification.objects.filter(person=person).unread().count()
        )
    return request._gemba_unread


def shell(request):
    person = getattr(request, "person", None)
    if person is None:
        return {}
    roles = person.scope.roles
    items = [
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
        for label, name, perm, icon in NAV
        if roles
        and (
            perm is None
            or any(
                person.has_perm(p) for p in ((perm,) if isinstance(perm, str) else perm)
            )
        )
    ]
    return {
        "unread_notifications": unread_count(request, person),
        "nav_items": items,
        "perms_overview": person.has_perm("problems.overview"),
        "current_center": getattr(request, "center", None),
        "visible_centers": getattr(request, "visible_centers", []),
    }
