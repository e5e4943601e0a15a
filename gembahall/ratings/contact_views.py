"""Pages where the window answers a bad rating — its appeal, the call to the
citizen with the number revealed, the return visit — and where the OSM office
decides the appeal; and the window head's own rating card."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.pages import form_page, run_action
from gembahall.core.permissions import rule
from gembahall.org.models import Unit

from . import documents
from .appeals import appeal_decide, appeal_file, can_appeal
from .forms import AppealDecideForm, AppealForm, VisitForm
from .models import Appeal, FollowUp
from .views import detail_context, visible_rating
from .visits import followup_visit, rating_phone_reveal


@rule("ratings.appeal")
@require_http_methods(["GET", "POST"])
def rating_appeal(request, rating):
    """The window head's appeal against a bad rating of their window."""
    rating = visible_rating(request, rating)
    if not can_appeal(request.person, rating):
        raise Http404
    form = AppealForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: appeal_file(
            actor=request.person,
            rating=rating,
            reason=data["reason"],
            uploads=data["photos"],
        ),
        done=_("The appeal is filed; the OSM office decides it."),
        title=_("Appeal against the rating: %(rating)s") % {"rating": rating},
        back=rating,
    )


@rule("ratings.exclude")
@require_POST
def rating_appeal_decide(request, rating):
    rating = visible_rating(request, rating)
    appeal = get_object_or_404(Appeal, rating=rating)
    form = AppealDecideForm(request.POST)
    upheld = request.POST.get("decision") == "upheld"
    return run_action(
        request,
        lambda: appeal_decide(
            actor=request.person,
            appeal=appeal,
            upheld=upheld,
            reason=form.cleaned_data["reason"],
        ),
        done=_("The appeal is upheld; the rating leaves the KPIs.")
        if upheld
        else _("The appeal is rejected; the rating counts."),
        then=rating.get_absolute_url(),
        form=form,
    )


@rule("ratings.followup")
@require_POST
def rating_reveal(request, rating):
    """The full number on this answer only: the page is not stored anywhere
    and the next visit shows the masked number again."""
    rating = visible_rating(request, rating)
    phone = rating_phone_reveal(actor=request.person, rating=rating)
    ctx = detail_context(request.person, rating) | {"revealed_phone": phone}
    response = render(request, "ratings/detail.html", ctx)
    response["Cache-Control"] = "no-store"
    return response


@rule("ratings.followup")
@require_POST
def rating_visit(request, rating):
    rating = visible_rating(request, rating)
    followup = get_object_or_404(FollowUp, rating=rating)
    form = VisitForm(request.POST)
    return run_action(
        request,
        lambda: followup_visit(
            actor=request.person,
            followup=followup,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        ),
        done=_("The return visit is recorded."),
        then=rating.get_absolute_url(),
        form=form,
    )


@rule("ratings.card")
@require_GET
def window_card(request):
    """The rating cards of the person's own windows (or of one of them)."""
    own = request.person.scope.unit_ids("ratings.card")
    windows = list(
        Unit.objects.filter(
            pk__in=own, kind__in=Unit.WINDOW_KINDS, valid_to__isnull=True
        )
        .select_related("center", "department")
        .order_by("code", "name")
    )
    one = request.GET.get("window")
    if one:
        windows = [w for w in windows if str(w.public_id) == one]
    if not windows:
        raise Http404
    rate = "rate:rate_window"
    urls = {
        w.pk: request.build_absolute_uri(reverse(rate, args=[w.public_id]))
        for w in windows
    }
    body = documents.window_cards(windows[0].center, windows, urls)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="rating-card.pdf"'
    return response
