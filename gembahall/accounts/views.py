"""Sign-in, sign-out and password change pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gembahall.core.audit import event_record
from gembahall.core.middleware import client_ip
from gembahall.core.permissions import ANY_ROLE, rule

from . import throttle
from .passwords import SignInForm
from .sessions import session_rekey


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        if not form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            return super().form_invalid(form)
        failures = throttle.failure_add(client_ip(self.request))
        if not throttle.throttled(failures):
            return super().form_invalid(form)
        form.errors[NON_FIELD_ERRORS] = form.error_class(
            [
                _(
                    "Too many failed sign-ins from this network. Check your "
                    "username and password; in a few minutes you can try "
                    "again freely."
                )
            ]
        )
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(
            int(settings.SIGN_IN_THROTTLE_WINDOW.total_seconds())
        )
        return response


sign_in = login_not_required(SignInView.as_view())


def locked_out(request, original_response=None, credentials=None):
    """A locked account answers exactly like a wrong password, so a guesser
    learns nothing about which accounts exist or are locked."""
    if original_response is not None:
        return original_response
    form = AuthenticationForm(request, data=request.POST or None)
    form.add_error(None, form.get_invalid_login_error())
    return render(request, SignInView.template_name, {"form": form})


sign_out = login_not_required(require_POST(auth_views.LogoutView.as_view()))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            reason=self.request.user.password_change_reason(),
            max_age_days=settings.PASSWORD_MAX_AGE_DAYS,
        )

    def form_valid(self, form):
        before = self.request.session.session_key
        response = super().form_valid(form)
        # The session keeps going under a new key; its row follows it.
        session_rekey(before, self.request.session.session_key)
        event_record(
            actor=self.request.person,
            action="auth.password_change",
            target_type="accounts.user",
            target_id=str(self.request.user.pk),
            target_repr=self.request.user.get_username(),
        )
        messages.success(self.request, _("Your password has been changed."))
        return response


password_change = rule(ANY_ROLE)(PasswordChangeView.as_view())
