"""The citizen's rating pages: no sign-in, small (well under 100 KB with
everything, gzip-compressed), plain HTML that works in any phone browser."""

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods

from gembahall.casework.models import Ticket
from gembahall.org.models import Unit

from .forms import RateForm
from .models import Rating
from .services import RatingLimited, rating_submit

# A ticket can be rated for a week after it was taken.
TICKET_DAYS = 7
# What the rating and its pages need of the ticket, its window and center.
RATED_TICKET_FIELDS = (
    "public_id",
    "ticket_no",
    "staff_id",
    "staff_no",
    "window__name",
    "window__code",
    "window__center_id",
    "window__department_id",
    "window__head_id",
    "window__center__name",
)


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _rate(request, window, *, ticket=None, channel):
    form = RateForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating_submit(
                window=window,
                ticket=ticket,
                channel=channel,
                ip=_client_ip(request),
                **data,
            )
        except RatingLimited:
            return render(request, "ratings/busy.html", {"window": window}, status=429)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            status = 409 if "ticket" in error.message_dict else 422
        else:
            return render(request, "ratings/thanks.html", {"window": window})
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "ratings/rate.html",
        {"form": form, "window": window, "ticket": ticket},
        status=status,
    )


@login_not_required
@gzip_page
@require_http_methods(["GET", "POST"])
def rate_window(request, window):
    """From the QR code on the window's card."""
    unit = get_object_or_404(
        Unit.objects.select_related("department", "center").filter(
            kind__in=Unit.WINDOW_KINDS, valid_to__isnull=True
        ),
        public_id=window,
    )
    return _rate(request, unit, channel=Rating.Channel.WINDOW_QR)


def rated_ticket(center: str, ticket_no: str):
    """The ticket's latest taking within the week, served at a window."""
    since = timezone.localdate() - timedelta(days=TICKET_DAYS)
    return (
        Ticket.objects.select_related("window__center")
        .only(*RATED_TICKET_FIELDS)
        .filter(
            center__code=center,
            ticket_no=ticket_no,
            day__gte=since,
            window__isnull=False,
        )
        .order_by("-day")
    )


@login_not_required
@gzip_page
@require_http_methods(["GET", "POST"])
def rate_ticket(request, center, ticket_no, token):
    """From the QR code on a queue ticket: its number and its token. A wrong
    token answers as an unknown ticket does, so the number alone rates
    nothing and shows nothing."""
    ticket = next(
        (t for t in rated_ticket(center, ticket_no) if t.rating_token_matches(token)),
        None,
    )
    if ticket is None:
        raise Http404
    return _rate(
        request, ticket.window, ticket=ticket, channel=Rating.Channel.TICKET_QR
    )
