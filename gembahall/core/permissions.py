"""The one role → permission table, and the view rule every route declares."""

from functools import wraps

from django.core.exceptions import PermissionDenied

# Pages any person holding at least one active role may open; objects on them
# are still fetched through visible_to().
SIGNED_IN = "signed_in"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "director": frozenset(
        {
            "org.view",
            "org.view_phone",
            "audit.view",
            "jobs.view",
            "committee.manage",
            "standards.publish",
            "standards.progress",
            "inspections.results",
            "problems.report",
            "problems.overview",
            "service.view",
            "ratings.view",
            "ratings.exclude",
        }
    ),
    "inspector": frozenset(
        {
            "org.view",
            # The OSM office loads the center's starting content.
            "center.setup",
            "calendar.edit",
            "jobs.view",
            "committee.manage",
            "standards.edit",
            "standards.progress",
            "inspections.plan",
            "inspections.perform",
            "inspections.results",
            "problems.report",
            "problems.overview",
            "problems.verify",
            "improvements.manage",
            "practices.review",
            "service.view",
            "service.catalogue",
            "ratings.view",
            "ratings.exclude",
            "ratings.cards",
        }
    ),
    "window_head": frozenset(
        {
            "unit.view",
            "org.view_phone",
            "inspections.self",
            "inspections.unit",
            "problems.report",
            "problems.fix",
            "practices.submit",
            "service.unit",
            "cases.notice",
            "agent.serve",
            "ratings.view",
            "ratings.followup",
            "ratings.appeal",
            "ratings.card",
        }
    ),
    "liaison": frozenset(
        {
            "unit.view",
            "inspections.self",
            "inspections.unit",
            "problems.report",
            "problems.fix",
            "practices.submit",
            "service.unit",
            "cases.notice",
            "agent.serve",
            "ratings.view",
            "ratings.followup",
        }
    ),
    "staff": frozenset(
        {
            "unit.view",
            "problems.report",
            "inquiries.log",
            "cases.notice",
            "agent.serve",
        }
    ),
    "guide": frozenset({"unit.view", "problems.report", "inquiries.log"}),
    # 三员分立: accounts and settings / role assignments / the audit trail.
    "sysadmin": frozenset(
        {
            "org.view",
            "org.view_phone",
            "org.edit",
            "org.import",
            "accounts.manage",
            "jobs.view",
            "service.import",
            "service.catalogue",
            "ratings.cards",
        }
    ),
    # The security administrator also resets a lost two-factor device.
    "security_admin": frozenset({"org.view", "roles.assign", "otp.reset"}),
    "auditor": frozenset({"audit.view"}),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


def rule(permission: str | tuple[str, ...]):
    """Declare who may call a view: a permission from the table, or SIGNED_IN.

    The person must hold the permission somewhere; the view narrows to objects
    through visible_to(), so an object outside the person's scope answers 404.
    """
    wanted = (permission,) if isinstance(permission, str) else tuple(permission)
    for one in wanted:
        if one != SIGNED_IN and one not in ALL_PERMISSIONS:
            raise ValueError(f"unknown permission {one!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            person = getattr(request, "person", None)
            if person is None or not person.scope.roles:
                raise PermissionDenied
            if permission != SIGNED_IN and not any(
                person.has_perm(one) for one in wanted
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.gemba_rule = permission
        return wrapped

    return decorator
