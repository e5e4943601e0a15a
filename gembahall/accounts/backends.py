"""Password sign-in that loads the account's person with the account, and a
lockout check that costs a locked account the same hashing as any other."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password

from .models import User


class LockoutBackend(AxesStandaloneBackend):
    """Axes refuses a locked account before any password is hashed, so the
    refusal came back in a fraction of the time a wrong password takes and
    showed which accounts are locked. The hasher now runs once here too, as
    it does for a wrong password, an unknown username or an inactive account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(
                request, username=username, password=password, **kwargs
            )
        except AxesBackendPermissionDenied:
            make_password(password or "")
            raise


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            User.objects.select_related("person", "person__center", "person__unit")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
