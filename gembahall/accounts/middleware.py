"""Session limits: 30 minutes idle and 12 hours absolute."""

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

SIGNED_IN_AT = "gemba_signed_in_at"
LAST_SEEN_AT = "gemba_last_seen_at"


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            signed_in = request.session.get(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN_AT, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - last_seen > idle or now - signed_in > absolute:
                logout(request)
            else:
                request.session[SIGNED_IN_AT] = signed_in
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)
