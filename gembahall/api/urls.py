"""The API's routes: each answers for itself (401 without a session, 403 or 404
outside the person's scope), so the sign-in redirect does not apply."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import reverse

from gembahall.core.permissions import SIGNED_IN

from .api import api

# The schema and root are open; machine endpoints check their API key.
PUBLIC = {"openapi-json", "api-root", "service_ticket_event", "service_rating"}


def _mark(patterns):
    for pattern in patterns:
        callback = pattern.callback
        pattern.callback = login_not_required(callback)
        if pattern.name not in PUBLIC:
            pattern.callback.gemba_rule = SIGNED_IN
    return patterns


def api_root(request):
    """The API's root points at its description."""
    return JsonResponse({"openapi": reverse("api:openapi-json")})


urls, app_name, namespace = api.urls
for url in urls:
    if url.name == "api-root":
        url.callback = api_root
urlpatterns = _mark(list(urls))
