"""Password rules that need the account: no reuse of recent passwords, a
temporary or too old password changed before anything else, and a temporary
password that is refused once it has lapsed."""

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.models import Event

from .models import PasswordHistory

# What a person who must change the password may still open.
# The second factor comes before the new password: its two pages stay open.
OPEN_WHILE_DUE = frozenset(
    {
        "accounts:password_change",
        "accounts:logout",
        "accounts:otp_enrol",
        "accounts:otp_verify",
        "set_language",
    }
)


class PasswordHistoryValidator:
    """The new password may not be any of the last `keep` ones, the current
    one included."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def _recent(self, user) -> list[str]:
        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list(
                "password", flat=True
            )[: self.keep]
        )
        # Accounts older than the history have only their current password.
        if user.password and user.password not in hashes:
            hashes = [user.password, *hashes][: self.keep]
        return hashes

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(
                _(
                    "You have used this password recently: it may not be any "
                    "of your last %(count)d passwords, the current one included."
                )
                % {"count": self.keep},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        """Called by the account's save() with the new hash in place."""
        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            self.keep :
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return _(
            "It may not be any of your last %(count)d passwords, the current "
            "one included."
        ) % {"count": self.keep}


class SignInForm(AuthenticationForm):
    """Sign-in that refuses a temporary password past its lifetime. The
    message shows only after the right password, so it tells a guesser
    nothing."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.temporary_password_expired():
            event_record(
                actor=getattr(user, "person", None),
                action="auth.sign_in",
                target_type="accounts.user",
                target_id=str(user.pk),
                target_repr=user.get_username(),
                after={"reason": "temporary_password_expired"},
                result=Event.Result.DENIED,
            )
            raise ValidationError(
                _(
                    "Your temporary password has expired. Ask the system "
                    "administrator to set a new one."
                ),
                code="temporary_password_expired",
            )


class PasswordChangeRequiredMiddleware:
    """After signing in with a temporary or too old password, every page
    leads to the password change page until the password is changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.password_change_reason()
            and _route(request) not in OPEN_WHILE_DUE
        ):
            return _to_password_change(request)
        return self.get_response(request)


def _route(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _to_password_change(request):
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Change your password before going on.")}, status=403
        )
    response = redirect("accounts:password_change")
    if request.headers.get("HX-Request") == "true":
        # htmx would follow a redirect inside the page; it leaves the page
        # for the address in HX-Redirect.
        location = response["Location"]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = location
    return response
