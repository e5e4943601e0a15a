"""Error pages in the product's layout and language, never a trace; a database
too busy to take a write answers 503 with Retry-After instead of a 500."""

import sys

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5
# PostgreSQL's lock_not_available, raised when lock_timeout runs out.
LOCK_NOT_AVAILABLE = "55P03"


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    return render(
        request, "403_csrf.html", {"retry": request.get_full_path()}, status=403
    )


def bad_request(request, exception=None):
    return _standalone("400.html", 400)


def server_error(request):
    """Called by Django while the exception is being handled."""
    if database_busy(sys.exc_info()[1]):
        return busy(request)
    return _standalone("500.html", 500)


def database_busy(error) -> bool:
    """The write lock was not had in time: SQLite's busy timeout or
    PostgreSQL's lock timeout ran out. Trying again a little later works."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    return "database is locked" in str(error) or "table is locked" in str(error)


def busy(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The system is busy. Send the request again shortly.")},
            status=503,
        )
    else:
        response = _standalone("503.html", 503, retry=request.get_full_path())
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _standalone(template: str, status: int, **context) -> HttpResponse:
    """Rendered without the request's context processors: they read the
    database, which may be what failed, and the request may be what was bad."""
    return HttpResponse(render_to_string(template, context), status=status)
