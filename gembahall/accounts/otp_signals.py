"""At sign-in, remember whether the account has a two-factor device, so the
code is asked for even where the person's roles do not require it."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .otp import SESSION_ENROLLED, otp_enrolled


@receiver(user_logged_in)
def on_signed_in_otp(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_ENROLLED] = otp_enrolled(user)
