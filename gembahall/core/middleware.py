"""Per-request context: the signed-in person, the current center and the client IP."""

from gembahall.org.scope import attach_scope

from .audit import current_ip


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            request.person = None
            request.visible_centers = []
            request.center = None
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                attach_scope(request)
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class NoStoreMiddleware:
    """Nothing shown to a signed-in person is kept in the browser's or a
    proxy's cache, where the next person at a shared hall computer could open
    it with the back button. Static files are answered before this runs and
    keep their long caching; pages for anyone not signed in keep theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
