"""What every /api/v1 router shares: the person's session as authentication,
errors answered as JSON, and pages of rows read from the database."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError as SchemaError
from ninja.pagination import LimitOffsetPagination
from ninja.security import SessionAuth

# Bounds of the list endpoints' paging, in the schema: past them a request
# answers 422 naming the parameter, never a database overflow.
MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1
# A list's state filter, bounded like every string the API reads.
StateFilter = Query[str | None, {"max_length": 20}]


class PersonSession(SessionAuth):
    """The page session (CSRF-checked on writes) of a person holding a
    business role; a signed-in account without one, an administrator's (三员)
    among them, is refused before the request is read."""

    def _get_key(self, request):
        # Without a signed-in session there is nothing to forge: the answer is
        # 401 (not signed in), not the CSRF check's 403.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

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

    @api.exception_handler(SchemaError)
    def schema_error(request, exc: SchemaError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            field = _field_of(error.get("loc", ()))
            errors.setdefault(field, []).append(_schema_message(error))
        detail = " ".join(f"{field}: {' '.join(m)}" for field, m in errors.items())
        return api.create_response(
            request, {"detail": detail, "errors": errors}, status=422
        )

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(
            request, {"detail": _("You may not do this.")}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)


def _field_of(loc) -> str:
    """The field a schema error is about: its location without the part of
    the request ("body", "query", "form") and the payload's own name."""
    parts = [str(p) for p in loc if p not in ("body", "query", "form", "path")]
    if len(parts) > 1 and parts[0] in ("payload", "data", "pagination", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _schema_message(error: dict) -> str:
    """A schema error in the person's language."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "less_than_equal":
        return _("At most %(n)s.") % {"n": ctx.get("le")}
    if kind == "greater_than_equal":
        return _("At least %(n)s.") % {"n": ctx.get("ge")}
    if kind == "string_too_long":
        return _("At most %(n)s characters, please.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("At least %(n)s characters, please.") % {"n": ctx.get("min_length")}
    if kind == "too_long":
        return _("At most %(n)s items.") % {"n": ctx.get("max_length")}
    if kind == "missing":
        # Django's own wording and translation, as on every form.
        return str(forms.Field.default_error_messages["required"])
    if kind.startswith("int_") or kind == "int_from_float":
        return _("Enter a whole number.")
    if kind == "literal_error":
        return _("Choose one of: %(values)s.") % {"values": ctx.get("expected", "")}
    if kind.startswith("uuid"):
        return _("Enter a valid id.")
    return _("Enter a valid value.")


class Pages(LimitOffsetPagination):
    """Limit and offset with their bounds in the schema."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


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
