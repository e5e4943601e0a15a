"""The one role → permission table, and the view rule every route declares."""

from functools import wraps

from django.core.exceptions import PermissionDenied

# Pages any person holding at least one active business role may open; objects
# on them are still fetched through visible_to(). The three administrators
# (三员) hold no business role, so these pages are closed to them.
SIGNED_IN = "signed_in"
# The few pages every person holding a role opens, the administrators too: the
# home page, notifications, the center switch, their own password, and the
# people, units and jobs their own duty reaches (narrowed by visible_to()).
ANY_ROLE = "any_role"
# 三员分立: each of these roles excludes the others and every business role on
# one person, and none of them carries a permission on business records.
ADMIN_ROLES = frozenset({"sysadmin", "security_admin", "auditor"})

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
    # The OSM office: it also loads the service records and the catalogue and
    # prints the rating cards, which no administrator may do.
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
            "service.import",
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
    # 三员分立: accounts and the structure (people, units, centers) / role
    # assignments / the audit trail, read only. Phone numbers show masked to
    # the system administrator.
    "sysadmin": frozenset(
        {
            "org.view",
            "org.edit",
            "org.import",
            "accounts.manage",
        }
    ),
    # The security administrator also resets a lost two-factor device.
    "security_admin": frozenset({"org.view", "roles.assign", "otp.reset"}),
    "auditor": frozenset({"audit.view"}),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())
MARKERS = (SIGNED_IN, ANY_ROLE)


def rule(permission: str | tuple[str, ...]):
    """Declare who may call a view: a permission from the table, SIGNED_IN or
    ANY_ROLE.

    The person must hold the permission somewhere; the view narrows to objects
    through visible_to(), so an object outside the person's scope answers 404.
    """
    wanted = (permission,) if isinstance(permission, str) else tuple(permission)
    for one in wanted:
        if one not in MARKERS and one not in ALL_PERMISSIONS:
            raise ValueError(f"unknown permission {one!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(getattr(request, "person", None), permission, wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.gemba_rule = permission
        return wrapped

    return decorator


def allowed(person, permission, wanted: tuple[str, ...]) -> bool:
    if person is None or not person.scope.roles:
        return False
    if permission == ANY_ROLE:
        return True
    if permission == SIGNED_IN:
        return bool(person.scope.working.roles)
    return any(person.has_perm(one) for one in wanted)
