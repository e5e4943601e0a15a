"""What every /api/v1 router shares: the person's session as authentication,
errors answered as JSON, and pages of rows read from the database."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import SessionAuth


class PersonSession(SessionAuth):
    """The page session (CSRF-checked on writes) of a person holding a
    business role; a signed-in account without one, an administrator's (三员)
    among them, is refused before the request is read."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            person_of(request)
        return user


def person_of(request):
    """The person making the request, refused when they hold no business role:
    every endpoint serves the hall's work, which no administrator reads."""
    person = getattr(request, "person", None)
    if person is None or not person.scope.working.roles:
        raise PermissionDenied
    return person


def errors_as_json(api: NinjaAPI) -> None:
    """Invalid input answers 422 with the message per field, a refusal 403 and
    a record outside the person's scope 404, each with a `detail`."""

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = (
            {field: list(messages) for field, messages in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        return api.create_response(
            request, {"detail": " ".join(exc.messages), "errors": errors}, status=422
        )

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(
            request, {"detail": _("You may not do this.")}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)


class Rows:
    """A queryset for the paginator: counted in the database, and only the page
    asked for is read and turned into API rows."""

    def __init__(self, queryset, to_row):
        self.queryset, self.to_row = queryset, to_row

    def all(self):
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [self.to_row(record) for record in self.queryset[page]]
