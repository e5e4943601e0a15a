"""Staff pages for ratings: the list, one rating with its follow-up (call
back, exclusion, appeal), and the printable window cards."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gembahall.core.pages import run_action
from gembahall.core.permissions import rule
from gembahall.org.models import Unit

from . import documents
from .appeals import appeal_deadline, can_appeal
from .followups import can_follow_up, followup_appeal_reject, followup_callback
from .forms import (
    AppealDecideForm,
    AppealRejectForm,
    CallbackForm,
    ExcludeForm,
    VisitForm,
)
from .models import Rating
from .services import REASONS, rating_exclude
from .visits import can_reveal, visit_due

PAGE_SIZE = 30


@rule("ratings.view")
@require_GET
def rating_list(request):
    rows = Rating.objects.visible_to(request.person).filter(center=request.center)
    show = request.GET.get("show", "")
    if show == "bad":
        rows = rows.filter(level__lte=Rating.BAD)
    elif show == "excluded":
        rows = rows.filter(excluded_at__isnull=False)
    elif show == "callback":
        rows = rows.filter(
            followup__isnull=False,
            followup__called_back_at__isnull=True,
            excluded_at__isnull=True,
        )
    elif show == "appeal":
        rows = rows.filter(appeal__state="pending")
    elif show == "visit":
        rows = rows.filter(
            followup__problem__closed_on__isnull=False,
            followup__visited_at__isnull=True,
            excluded_at__isnull=True,
        )
    page = Paginator(
        rows.select_related("window", "staff", "followup").order_by("-created_at"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    filters = [
        ("", _("All")),
        ("bad", _("Bad ratings")),
        ("callback", _("To call back")),
        ("excluded", _("Excluded")),
        ("appeal", _("Appeals to decide")),
        ("visit", _("Return visits due")),
    ]
    ctx = {
        "page": page,
        "show": show,
        "filters": filters,
        "perms_cards": request.person.has_perm("ratings.cards"),
        "may_review": request.person.has_perm("ratings.exclude", center=request.center),
    }
    return render(request, "ratings/list.html", ctx)


def visible_rating(request, rating) -> Rating:
    return get_object_or_404(
        Rating.objects.visible_to(request.person).select_related(
            "window",
            "staff",
            "ticket",
            "followup__problem",
            "excluded_by",
            "followup__called_back_by",
            "followup__visited_by",
            "appeal__filed_by",
            "appeal__decided_by",
        ),
        public_id=rating,
    )


def detail_context(person, rating) -> dict:
    followup = getattr(rating, "followup", None)
    appeal = getattr(rating, "appeal", None)
    may_follow_up = followup is not None and can_follow_up(person, followup)
    today = timezone.localdate()
    return {
        "rating": rating,
        "followup": followup,
        "appeal": appeal,
        "reasons": [REASONS[r] for r in rating.reasons if r in REASONS],
        "may_follow_up": may_follow_up,
        "may_exclude": person.has_perm("ratings.exclude", center=rating.center),
        "may_reveal": can_reveal(person, rating),
        "may_appeal": appeal is None
        and rating.excluded_at is None
        and can_appeal(person, rating),
        "appeal_last_day": appeal_deadline(rating) if rating.is_bad else None,
        "appeal_open": rating.is_bad and today <= appeal_deadline(rating),
        "visit_due": may_follow_up and visit_due(followup),
        "callback_form": CallbackForm(),
        "exclude_form": ExcludeForm(),
        "appeal_form": AppealRejectForm(),
        "decide_form": AppealDecideForm(),
        "visit_form": VisitForm(),
    }


@rule("ratings.view")
@require_GET
def rating_detail(request, rating):
    rating = visible_rating(request, rating)
    ctx = detail_context(request.person, rating)
    return render(request, "ratings/detail.html", ctx)


@rule("ratings.followup")
@require_POST
def rating_callback(request, rating):
    rating = visible_rating(request, rating)
    followup = get_object_or_404(
        type(rating).followup.related.related_model, rating=rating
    )
    form = CallbackForm(request.POST)
    return run_action(
        request,
        lambda: followup_callback(
            actor=request.person, followup=followup, note=form.cleaned_data["note"]
        ),
        done=_("The call back is recorded."),
        then=rating.get_absolute_url(),
        form=form,
    )


@rule("ratings.exclude")
@require_POST
def rating_exclude_view(request, rating):
    rating = visible_rating(request, rating)
    form = ExcludeForm(request.POST)
    return run_action(
        request,
        lambda: rating_exclude(
            actor=request.person, rating=rating, reason=form.cleaned_data["reason"]
        ),
        done=_("The rating is excluded from the KPIs; it stays on record."),
        then=rating.get_absolute_url(),
        form=form,
    )


@rule("ratings.exclude")
@require_POST
def rating_appeal_reject(request, rating):
    rating = visible_rating(request, rating)
    followup = get_object_or_404(
        type(rating).followup.related.related_model, rating=rating
    )
    form = AppealRejectForm(request.POST)
    return run_action(
        request,
        lambda: followup_appeal_reject(
            actor=request.person,
            followup=followup,
            reason=form.cleaned_data["reason"],
        ),
        done=_("The appeal is rejected; the rating counts."),
        then=rating.get_absolute_url(),
        form=form,
    )


@rule("ratings.cards")
@require_GET
def window_cards(request):
    """A4 sheet of window cards, each with the QR code of its rating page."""
    windows = list(
        Unit.objects.filter(
            center=request.center, kind__in=Unit.WINDOW_KINDS, valid_to__isnull=True
        )
        .select_related("department")
        .order_by("code", "name")
    )
    one = request.GET.get("window")
    if one:
        windows = [w for w in windows if str(w.public_id) == one]
    urls = {
        w.pk: request.build_absolute_uri(
            reverse("rate:rate_window", args=[w.public_id])
        )
        for w in windows
    }
    body = documents.window_cards(request.center, windows, urls)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="rating-cards.pdf"'
    return response
