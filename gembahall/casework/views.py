"""Service catalogue, first-inquiry log, record imports and API keys."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.models import Job
from gembahall.core.pages import (
    form_errors,
    import_job_of,
    import_job_page,
    run_action,
)
from gembahall.core.permissions import SIGNED_IN, rule

from .agent import (
    agent_request_advance,
    agent_request_cancel,
    agent_request_open,
    agent_request_phone_reveal,
    may_serve,
)
from .cases import case_filter, may_record_notice, notice_record
from .catalogue import notice_pdf
from .forms import (
    AgentRequestForm,
    AgentStepForm,
    CaseFilterForm,
    ImportForm,
    InquiryForm,
    NoticeForm,
    TokenForm,
)
from .models import AgentRequest, ApiToken, Case, FirstInquiry, ServiceItem, Source
from .services import import_job_start, inquiry_log
from .tokens import token_create, token_revoke


def _items(request):
    return ServiceItem.objects.visible_to(request.person).select_related(
        "department", "center"
    )


@rule(SIGNED_IN)
@require_GET
def catalogue(request):
    items = _items(request).filter(center=request.center, active=True)
    groups = {}
    for item in items.order_by("department__name", "name"):
        groups.setdefault(item.department, []).append(item)
    may_manage = request.person.has_perm("service.catalogue", center=request.center)
    ctx = {"groups": groups.items(), "may_manage": may_manage}
    return render(request, "casework/catalogue.html", ctx)


@rule(SIGNED_IN)
@require_GET
def item_detail(request, service_item):
    item = get_object_or_404(_items(request), public_id=service_item)
    may_edit = request.person.has_perm("service.catalogue", center=item.center)
    return render(request, "casework/item.html", {"item": item, "may_edit": may_edit})


@rule(SIGNED_IN)
@require_GET
def item_notice(request, service_item):
    item = get_object_or_404(_items(request), public_id=service_item)
    response = HttpResponse(notice_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="notice.pdf"'
    return response


@rule(("inquiries.log", "service.view"))
@require_http_methods(["GET", "POST"])
def inquiries(request):
    person = request.person
    may_log = person.has_perm("inquiries.log")
    form = InquiryForm(request.POST or None, center=request.center)
    if request.method == "POST":
        if not may_log:
            raise Http404
        if form.is_valid():
            try:
                inquiry_log(actor=person, **form.cleaned_data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The inquiry is logged."))
                return redirect("casework:inquiries")
    rows = FirstInquiry.objects.visible_to(person).filter(center=request.center)
    page = Paginator(
        rows.select_related("answered_by", "window").order_by("-asked_at"), 30
    ).get_page(request.GET.get("page"))
    ctx = {"form": form if may_log else None, "page": page}
    return render(request, "casework/inquiries.html", ctx)


@rule("service.import")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_start(
                actor=request.person,
                center=request.center,
                kind=form.cleaned_data["kind"],
                source=form.cleaned_data["source"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("casework:import_job", records_job=job.public_id)
    sources = Source.objects.visible_to(request.person).filter(center=request.center)
    return render(request, "casework/import.html", {"form": form, "sources": sources})


IMPORT_JOB = "casework/import_job.html"


def _import_job(request, records_job) -> Job:
    return import_job_of(
        request,
        records_job,
        kind="records_import",
        perm="service.import",
        center=request.center,
    )


@rule("service.import")
@require_GET
def import_job(request, records_job):
    return import_job_page(request, _import_job(request, records_job), IMPORT_JOB)


@rule("service.import")
@require_POST
def import_confirm(request, records_job):
    job = _import_job(request, records_job)
    if not job.params.get("dry_run") or job.state != Job.State.DONE:
        messages.error(request, _("Only a preview without errors can be imported."))
        return redirect("casework:import_job", records_job=job.public_id)
    new_job = import_job_start(
        actor=request.person,
        center=job.center,
        kind=job.params["kind"],
        source=job.params.get("source", ""),
        path=job.params["path"],
        dry_run=False,
    )
    return redirect("casework:import_job", records_job=new_job.public_id)


@rule("service.import")
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        source, _created = Source.objects.get_or_create(
            center=request.center,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["source"],
        )
        _token, key = token_create(
            actor=request.person, source=source, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    rows = (
        ApiToken.objects.visible_to(request.person)
        .filter(center=request.center)
        .select_related("source")
    )
    return render(
        request, "casework/tokens.html", {"form": form, "key": key, "tokens": rows}
    )


@rule("service.import")
@require_POST
def token_revoke_view(request, token):
    token = get_object_or_404(
        ApiToken.objects.visible_to(request.person).filter(
            center=request.center, revoked_at__isnull=True
        ),
        public_id=token,
    )
    token_revoke(actor=request.person, token=token)
    messages.success(request, _("The key is revoked; systems using it are refused."))
    return redirect("casework:tokens")


CASE_READERS = ("service.view", "service.unit", "cases.notice")


@rule(CASE_READERS)
@require_GET
def cases(request):
    form = CaseFilterForm(request.GET or None)
    rows = Case.objects.visible_to(request.person).filter(center=request.center)
    if form.is_valid():
        rows = case_filter(rows, **form.cleaned_data)
    page = Paginator(
        rows.select_related("service_item", "window", "agent").order_by(
            "-accepted_at", "-pk"
        ),
        30,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/cases.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


@rule(CASE_READERS)
@require_http_methods(["GET", "POST"])
def case_detail(request, case):
    case = get_object_or_404(
        Case.objects.visible_to(request.person)
        .filter(center=request.center)
        .select_related(
            "service_item", "window", "department", "agent", "ticket", "source"
        ),
        public_id=case,
    )
    may_notice = may_record_notice(request.person, case)
    form = NoticeForm(request.POST or None) if may_notice else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                notice_record(
                    actor=request.person,
                    case=case,
                    materials=form.cleaned_data["materials"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The notice is recorded."))
                return redirect("casework:case", case=case.public_id)
    notices = case.notice_set.select_related("issued_by")
    return render(
        request,
        "casework/case.html",
        {
            "case": case,
            "form": form,
            "notices": notices,
            "today": timezone.localdate(),
        },
    )


AGENT_READERS = ("service.view", "agent.serve")


@rule(AGENT_READERS)
@require_http_methods(["GET", "POST"])
def agent_requests(request):
    center, person = request.center, request.person
    serving = may_serve(person, center)
    form = AgentRequestForm(request.POST or None, center=center) if serving else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                created = agent_request_open(
                    actor=person, center=center, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The request is logged."))
                return redirect(
                    "casework:agent_request", agent_request=created.public_id
                )
    show = request.GET.get("show", "open")
    rows = AgentRequest.objects.visible_to(person).filter(center=center)
    if show == "open":
        rows = rows.exclude(
            state__in=(AgentRequest.State.DELIVERED, AgentRequest.State.CANCELLED)
        )
    page = Paginator(
        rows.select_related("service_item", "agent").order_by("-requested_at", "-pk"),
        30,
    ).get_page(request.GET.get("page"))
    filters = [("open", _("In progress")), ("all", _("All"))]
    return render(
        request,
        "casework/agent_requests.html",
        {"form": form, "page": page, "show": show, "filters": filters},
    )


def _agent_request(request, agent_request):
    return get_object_or_404(
        AgentRequest.objects.visible_to(request.person)
        .filter(center=request.center)
        .select_related("service_item", "agent"),
        public_id=agent_request,
    )


@rule(AGENT_READERS)
@require_GET
def agent_request_detail(request, agent_request):
    item = _agent_request(request, agent_request)
    serving = may_serve(request.person, request.center)
    return render(
        request,
        "casework/agent_request.html",
        {
            "req": item,
            "steps": item.steps.select_related("by"),
            "form": AgentStepForm() if serving else None,
        },
    )


@rule("agent.serve")
@require_POST
def agent_request_phone(request, agent_request):
    """The applicant's full number on this answer only, for the agent's
    call; written to the trail."""
    item = _agent_request(request, agent_request)
    phone = agent_request_phone_reveal(actor=request.person, request=item)
    ctx = {
        "req": item,
        "steps": item.steps.select_related("by"),
        "form": AgentStepForm(),
        "revealed_phone": phone,
    }
    return render(request, "casework/agent_request.html", ctx)


@rule("agent.serve")
@require_POST
def agent_request_step(request, agent_request):
    item = _agent_request(request, agent_request)
    form = AgentStepForm(request.POST)
    cancel = "cancel" in request.POST
    return run_action(
        request,
        lambda: (
            agent_request_cancel(
                actor=request.person, request=item, reason=form.cleaned_data["note"]
            )
            if cancel
            else agent_request_advance(
                actor=request.person, request=item, note=form.cleaned_data["note"]
            )
        ),
        done=_("The request is cancelled.") if cancel else _("Milestone reached."),
        then=reverse(
            "casework:agent_request", kwargs={"agent_request": item.public_id}
        ),
        form=form,
    )
