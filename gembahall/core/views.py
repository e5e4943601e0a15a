"""The center switcher, the audit trail, jobs and the calendar."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.org.models import Center, Person
from gembahall.org.scope import SESSION_CENTER_KEY

from . import workdays
from .forms import AuditFilterForm, CalendarYearForm
from .models import CalendarDay, CalendarYear, Event, Job, Notification, Photo
from .permissions import ANY_ROLE, SIGNED_IN, rule
from .services import audit_export as audit_export_service
from .services import calendar_year_set
from .xlsx import xlsx_response


@login_not_required
@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@rule(ANY_ROLE)
@require_POST
def center_switch(request):
    try:
        public_id = uuid.UUID(request.POST.get("center", ""))
    except ValueError:
        raise Http404 from None
    center = get_object_or_404(
        Center.objects.visible_to(request.person), public_id=public_id
    )
    request.session[SESSION_CENTER_KEY] = str(center.public_id)
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if safe else "core:home")


def _audit_filtered(request):
    person = request.person
    actors = (
        Person.objects.trail_actors(person)
        .order_by("name", "pk")
        .values_list("pk", "name", "user__username")
    )
    form = AuditFilterForm(request.GET or None, actors=list(actors))
    events = Event.objects.visible_to(person)
    if form.is_valid():
        events = form.filter(events)
    return form, events


@rule("audit.view")
@require_GET
def audit_list(request):
    form, events = _audit_filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "core/audit_list.html", ctx)


@rule("audit.view")
@require_GET
def audit_export(request):
    form, events = _audit_filtered(request)
    back = f"{reverse('core:audit')}?{request.GET.urlencode()}"
    if form.is_bound and not form.is_valid():
        return redirect(back)  # the list shows what is wrong with the filter
    try:
        body = audit_export_service(
            actor=request.person,
            events=events,
            filters=form.described() if form.is_bound else {},
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    return xlsx_response(body, f"audit-trail-{timezone.localdate()}.xlsx")


@rule(ANY_ROLE)
@require_GET
def job_detail(request, job):
    job = get_object_or_404(Job.objects.visible_to(request.person), public_id=job)
    template = (
        "core/job_detail.html#progress" if request.htmx else "core/job_detail.html"
    )
    return render(request, template, {"job": job})


@rule(SIGNED_IN)
@require_GET
def calendar(request):
    try:
        year = int(request.GET.get("year") or workdays.local_today().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return render(request, "core/calendar.html", _calendar_context(request, year))


@rule("calendar.edit")
@require_http_methods(["GET", "POST"])
def calendar_edit(request, year: int):
    if not 2000 <= year <= 2100:
        raise Http404
    known = CalendarYear.objects.filter(year=year).first()
    if known and known.source == CalendarYear.Source.OFFICIAL:
        raise Http404
    form = CalendarYearForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            calendar_year_set(
                actor=request.person,
                year=year,
                holidays=form.cleaned_data["holidays"],
                workdays_=form.cleaned_data["workdays"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{reverse('core:calendar')}?year={year}")
    return render(request, "core/calendar_edit.html", {"form": form, "year": year})


def _calendar_context(request, year: int) -> dict:
    known = CalendarYear.objects.filter(year=year).first()
    days = CalendarDay.objects.filter(date__year=year)
    today = workdays.local_today()
    sample = workdays.add_working_days(today, 5)
    return {
        "year": year,
        "known": known,
        "days": days,
        "years": CalendarYear.objects.all(),
        "can_edit": request.person.has_perm("calendar.edit")
        and not (known and known.source == CalendarYear.Source.OFFICIAL),
        "today": today,
        "sample": sample,
    }


def _photo_response(request, photo, field: str):
    photo = get_object_or_404(Photo.objects.visible_to(request.person), public_id=photo)
    try:
        handle = getattr(photo, field).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Not cached: NoStoreMiddleware marks it no-store like every signed-in answer.
    return FileResponse(handle, content_type="image/jpeg")


@rule(SIGNED_IN)
@require_GET
def photo_file(request, photo):
    return _photo_response(request, photo, "image")


@rule(SIGNED_IN)
@require_GET
def photo_thumbnail(request, photo):
    return _photo_response(request, photo, "thumbnail")


@rule(ANY_ROLE)
@require_GET
def notifications(request):
    rows = Notification.objects.filter(person=request.person)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@rule(ANY_ROLE)
@require_POST
def notification_open(request, notification):
    """Mark one notification read and go to what it is about."""
    note = get_object_or_404(
        Notification.objects.filter(person=request.person), public_id=notification
    )
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at", "updated_at"])
    safe = url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(note.url if note.url and safe else "core:notifications")


@rule(ANY_ROLE)
@require_POST
def notifications_read(request):
    Notification.objects.filter(person=request.person).unread().update(
        read_at=timezone.now()
    )
    return redirect("core:notifications")
