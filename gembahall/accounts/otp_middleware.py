"""Until the one-time code is checked, a person who needs it reaches only the
sign-out, enrolment and verification pages."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .otp import SESSION_ENROLLED, otp_enrolled, otp_required

API_PREFIX = "/api/"


def otp_exempt(view):
    """Mark a view an unverified session may open (enrol, verify)."""
    view.otp_exempt = True
    return view


class OTPRequiredMiddleware:
    """After django-otp's OTPMiddleware (request.user.is_verified) and the
    ActorMiddleware (request.person)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        # Public pages (sign-in, sign-out, citizens' rating) and the two
        # pages that complete the sign-in. The API checks its own
        # authentication, so all of it counts as private to a session.
        api = request.path.startswith(API_PREFIX)
        public = getattr(view_func, "login_required", True) is False
        if (public and not api) or getattr(view_func, "otp_exempt", False):
            return None
        required = otp_required(request.person)
        if not required and not request.session.get(SESSION_ENROLLED):
            return None
        enrolled = otp_enrolled(user)
        if not enrolled and not required:
            # Reset by an administrator while signed in: optional again.
            request.session.pop(SESSION_ENROLLED, None)
            return None
        return self.refuse(request, "otp_verify" if enrolled else "otp_enrol")

    def refuse(self, request, page: str):
        url = reverse(f"accounts:{page}")
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {"detail": _("Enter the one-time code from your authenticator.")},
                status=401,
            )
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect_to_login(request.get_full_path(), url)
