"""Password sign-in that loads the account's person with the account."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            User.objects.select_related("person", "person__center", "person__unit")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
