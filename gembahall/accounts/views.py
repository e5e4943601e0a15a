"""Sign-in, sign-out and password change pages."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gembahall.core.audit import event_record
from gembahall.core.permissions import ANY_ROLE, rule


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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

    def form_valid(self, form):
        response = super().form_valid(form)
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
