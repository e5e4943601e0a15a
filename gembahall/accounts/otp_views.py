"""Two-factor pages: enrolment, the code after the password, the person's own
settings, and the security administrator's reset."""

import django_otp
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from gembahall.core.pages import form_errors, run_action
from gembahall.core.permissions import ANY_ROLE, rule
from gembahall.org.models import Person

from . import otp
from .otp_middleware import otp_exempt


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("One-time code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


def _next(request) -> str:
    then = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(then, allowed_hosts={request.get_host()}):
        return "/"
    return then


def _signed_in_with(request, device) -> None:
    django_otp.login(request, device)
    request.session[otp.SESSION_ENROLLED] = True


@otp_exempt
@rule(ANY_ROLE)
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in: the authenticator's code, or a recovery
    code when the phone is not at hand."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not otp.otp_enrolled(request.user):
        return redirect("accounts:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.otp_verify(
                actor=request.person,
                user=request.user,
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            _signed_in_with(request, device)
            if isinstance(device, StaticDevice):
                left = otp.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d are left. "
                        "Make new ones on the two-factor page if few remain."
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _next(request)}
    )


@otp_exempt
@rule(ANY_ROLE)
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Scan the QR code, type the first code; the recovery codes are shown
    once. A session that has not given its code cannot replace a device."""
    user = request.user
    if otp.otp_enrolled(user) and not user.is_verified():
        return redirect("accounts:otp_verify")
    device = otp.otp_enrol_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.otp_enrol_confirm(
                actor=request.person,
                user=user,
                device=device,
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            _signed_in_with(request, device)
            return _codes_page(request, codes, enrolled=True)
    ctx = {
        "form": form,
        "qr": otp.qr_svg(device),
        "secret": otp.secret_base32(device),
        "required": otp.otp_required(request.person),
        "next": _next(request),
    }
    return render(request, "accounts/otp_enrol.html", ctx)


def _codes_page(request, codes, *, enrolled=False):
    ctx = {"codes": codes, "enrolled": enrolled, "next": _next(request)}
    response = render(request, "accounts/otp_codes.html", ctx)
    response["Cache-Control"] = "no-store"
    return response


@rule(ANY_ROLE)
@require_http_methods(["GET"])
def otp_settings(request):
    """The person's own two-factor page: set up, or move to a new phone, and
    new recovery codes."""
    user = request.user
    ctx = {
        "enrolled": otp.otp_enrolled(user),
        "required": otp.otp_required(request.person),
        "codes_left": otp.recovery_codes_left(user),
    }
    return render(request, "accounts/otp_settings.html", ctx)


@rule(ANY_ROLE)
@require_POST
def otp_codes_new(request):
    try:
        codes = otp.otp_recovery_codes_new(actor=request.person, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:otp_settings")
    return _codes_page(request, codes)


@rule("otp.reset")
@require_POST
def otp_reset(request, person):
    target = get_object_or_404(
        Person.objects.visible_to(request.person).select_related("center", "user"),
        public_id=person,
    )
    if not request.person.has_perm("otp.reset", center=target.center):
        raise Http404
    return run_action(
        request,
        lambda: otp.otp_reset(actor=request.person, person=target),
        done=_("The two-factor device was reset; the person sets it up again."),
        then=target,
    )
