"""The OSM office's page of ratings held over a flood cap: each kept (it
enters the KPIs) or discarded (it stays on record and never counts)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from gembahall.core.permissions import rule

from .forms import HeldReviewForm
from .models import REASONS, Rating
from .services import rating_review

PAGE_SIZE = 50


@rule("ratings.exclude")
@require_http_methods(["GET", "POST"])
def held_list(request):
    rows = Rating.objects.visible_to(request.person).filter(
        center=request.center, hold=Rating.Hold.HELD
    )
    if request.method == "POST":
        return _review(request, rows)
    page = Paginator(
        rows.select_related("window").order_by("created_at"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for r in page:
        r.reason_words = [REASONS[k] for k in r.reasons if k in REASONS]
    return render(request, "ratings/held.html", {"page": page})


def _review(request, rows):
    form = HeldReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("ratings:held")
    keep = form.cleaned_data["decision"] == "keep"
    chosen = list(rows.filter(public_id__in=form.cleaned_data["ratings"]))
    try:
        with transaction.atomic():
            for rating in chosen:
                rating_review(actor=request.person, rating=rating, keep=keep)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ratings:held")
    n = len(chosen)
    done = (
        ngettext(
            "%(n)d rating kept: it counts in the KPIs now.",
            "%(n)d ratings kept: they count in the KPIs now.",
            n,
        )
        if keep
        else ngettext(
            "%(n)d rating discarded: it stays on record and never counts.",
            "%(n)d ratings discarded: they stay on record and never count.",
            n,
        )
    )
    messages.success(request, done % {"n": n})
    return redirect("ratings:held")
