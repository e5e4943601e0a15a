"""Session limits: 30 minutes idle and 12 hours absolute."""

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

SIGNED_IN_AT = "gemba_signed_in_at"
LAST_SEEN_AT = "gemba_last_seen_at"
TOUCH_SECONDS = 60


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
                request.session.setdefault(SIGNED_IN_AT, signed_in)
                # Writing the session on every request would make each page a
                # database write; a minute's precision is enough for idleness.
                if (
                    now - last_seen >= TOUCH_SECONDS
                    or LAST_SEEN_AT not in request.session
                ):
                    request.session[LAST_SEEN_AT] = now
        return self.get_response(request)
