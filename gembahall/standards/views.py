"""Standards pages: the library, one standard with its history, drafting and
publishing, staff acknowledgements, printable cards and manuals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gembahall.core.pages import form_errors, form_page, run_action
from gembahall.core.permissions import SIGNED_IN, rule

from . import documents, queries, services
from .forms import (
    LibraryFilterForm,
    PublishForm,
    ReferencePhotoForm,
    StandardForm,
    VersionForm,
)
from .models import Domain, ReferencePhoto, Standard, StandardVersion


def _standard(request, standard) -> Standard:
    return get_object_or_404(
        Standard.objects.visible_to(request.person).select_related("center", "current"),
        public_id=standard,
    )


def _version(request, version) -> StandardVersion:
    return get_object_or_404(
        StandardVersion.objects.filter(
            standard__in=Standard.objects.visible_to(request.person)
        ).select_related("standard", "standard__center", "center"),
        public_id=version,
    )


@rule(SIGNED_IN)
@require_GET
def library(request):
    form = LibraryFilterForm(request.GET or None)
    person, center = request.person, request.center
    drafts = StandardVersion.objects.filter(
        standard=OuterRef("pk"), state=StandardVersion.State.DRAFT
    )
    standards = (
        Standard.objects.filter(center=center)
        .select_related("current")
        .annotate(photo_count=Count("current__photos"), has_draft=Exists(drafts))
        .order_by("chapter", "code")
    )
    can_edit = person.has_perm("standards.edit", center=center)
    # Whoever writes or publishes drafts sees the standards not published yet.
    sees_drafts = can_edit or person.has_perm("standards.publish", center=center)
    if not sees_drafts:
        standards = standards.published()
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            standards = standards.filter(
                Q(title__icontains=data["q"]) | Q(code__icontains=data["q"])
            )
        if data["chapter"]:
            standards = standards.filter(chapter=data["chapter"])
        if data["domain"]:
            standards = standards.filter(domain=data["domain"])
        if data["state"] == "draft" and sees_drafts:
            standards = standards.filter(has_draft=True)
    ctx = {
        "form": form,
        "standards": standards,
        "domains": Domain.choices,
        "can_edit": can_edit,
        "sees_drafts": sees_drafts,
        "can_progress": person.has_perm("standards.progress", center=center),
    }
    return render(request, "standards/library.html", ctx)


@rule(SIGNED_IN)
@require_GET
def detail(request, standard):
    standard = _standard(request, standard)
    photos = ReferencePhoto.objects.select_related("photo").order_by("position")
    versions = standard.versions.select_related(
        "published_by", "written_by"
    ).prefetch_related(Prefetch("photos", queryset=photos))
    person = request.person
    profile = queries.person_profile(person)
    acknowledged = (
        standard.current_id
        and standard.current.acknowledgements.filter(person=person).exists()
    )
    ctx = {
        "standard": standard,
        "versions": versions,
        "current": next((v for v in versions if v.pk == standard.current_id), None),
        "draft": next((v for v in versions if v.is_draft), None),
        "applies": standard.applies_to(**profile),
        "acknowledged": acknowledged,
        "can_edit": person.has_perm("standards.edit", center=standard.center),
        "can_publish": person.has_perm("standards.publish", center=standard.center),
        "can_progress": person.has_perm("standards.progress", center=standard.center),
    }
    return render(request, "standards/detail.html", ctx)


@rule(SIGNED_IN)
@require_GET
def mine(request):
    rows = queries.standards_for(request.person, request.center)
    ctx = {
        "rows": rows,
        # Every reference photo up front: the standards with photos may sit
        # far down a long list of text.
        "photos": [
            (row["standard"], ref)
            for row in rows
            for ref in row["standard"].current.photos.all()
        ],
        "pending": sum(not r["acknowledged"] for r in rows),
    }
    return render(request, "standards/mine.html", ctx)


@rule("standards.edit")
@require_http_methods(["GET", "POST"])
def standard_create(request):
    center = request.center
    form = StandardForm(request.POST or None, center=center)

    def apply(data):
        return services.standard_create(
            actor=request.person,
            center=center,
            code=data["code"],
            body=data["body"],
            units=data["units"],
            **form.meta(),
        )

    return form_page(
        request, form, apply, done=_("Standard drafted."), title=_("New standard")
    )


@rule("standards.edit")
@require_http_methods(["GET", "POST"])
def standard_edit(request, standard):
    standard = _standard(request, standard)
    form = StandardForm(request.POST or None, instance=standard, center=standard.center)

    def apply(data):
        return services.standard_update(
            actor=request.person, standard=standard, units=data["units"], **form.meta()
        )

    return form_page(
        request,
        form,
        apply,
        done=_("Standard saved."),
        title=_("Edit %(standard)s") % {"standard": standard},
        back=standard,
    )


@rule("standards.edit")
@require_POST
def draft_start(request, standard):
    standard = _standard(request, standard)
    version = services.version_draft(actor=request.person, standard=standard)
    return redirect("standards:version_edit", version.public_id)


@rule(("standards.edit", "standards.publish"))
@require_http_methods(["GET", "POST"])
def version_edit(request, version):
    """The draft: its writer edits it here, its publisher reads and publishes it."""
    version = _version(request, version)
    if not version.is_draft:
        return redirect(version.standard)
    person = request.person
    can_edit = person.has_perm("standards.edit", center=version.center)
    can_publish = person.has_perm("standards.publish", center=version.center)
    if not (can_edit or can_publish):
        raise Http404
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = VersionForm(
        request.POST or None,
        initial={"body": version.body, "change_note": version.change_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(actor=person, version=version, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("standards:version_edit", version.public_id)
    ctx = {
        "version": version,
        "standard": version.standard,
        "form": form,
        "photo_form": ReferencePhotoForm(),
        "publish_form": PublishForm(initial={"effective_from": timezone.localdate()}),
        "photos": version.photos.select_related("photo"),
        "can_edit": can_edit,
        "can_publish": can_publish,
    }
    return render(request, "standards/version_edit.html", ctx)


@rule("standards.edit")
@require_POST
def photo_add(request, version):
    version = _version(request, version)
    form = ReferencePhotoForm(request.POST, request.FILES)
    back = reverse("standards:version_edit", args=[version.public_id])
    return run_action(
        request,
        lambda: services.reference_photo_add(
            actor=request.person,
            version=version,
            upload=form.cleaned_data["photo"],
            caption=form.cleaned_data["caption"],
        ),
        done=_("Photo added."),
        then=back,
        form=form,
    )


@rule("standards.edit")
@require_POST
def photo_remove(request, ref):
    ref = get_object_or_404(
        ReferencePhoto.objects.filter(
            version__standard__in=Standard.objects.visible_to(request.person)
        ).select_related("version", "photo"),
        public_id=ref,
    )
    return run_action(
        request,
        lambda: services.reference_photo_remove(actor=request.person, ref=ref),
        done=_("Photo removed."),
        then=reverse("standards:version_edit", args=[ref.version.public_id]),
    )


@rule("standards.publish")
@require_POST
def publish(request, version):
    version = _version(request, version)
    form = PublishForm(request.POST)
    return run_action(
        request,
        lambda: services.version_publish(
            actor=request.person,
            version=version,
            effective_from=form.cleaned_data["effective_from"],
        ),
        done=_("Version published."),
        then=version.standard.get_absolute_url(),
        form=form,
    )


@rule(SIGNED_IN)
@require_POST
def acknowledge(request, version):
    version = _version(request, version)
    then = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(then, allowed_hosts={request.get_host()}):
        then = version.standard.get_absolute_url()
    return run_action(
        request,
        lambda: services.acknowledgement_record(actor=request.person, version=version),
        done=_("Acknowledged: %(standard)s") % {"standard": version.standard.title},
        then=then,
    )


@rule("standards.progress")
@require_GET
def progress(request, standard):
    standard = _standard(request, standard)
    if standard.current_id is None:
        raise Http404
    ctx = {"standard": standard, "progress": queries.acknowledgement_progress(standard)}
    return render(request, "standards/progress.html", ctx)


@rule("standards.progress")
@require_GET
def progress_overview(request):
    rows = queries.acknowledgement_overview(request.center)
    return render(request, "standards/progress_overview.html", {"rows": rows})


@rule(SIGNED_IN)
@require_GET
def card_pdf(request, standard, size):
    standard = _standard(request, standard)
    if size not in documents.CARD_SIZES or standard.current_id is None:
        raise Http404
    url = request.build_absolute_uri(standard.get_absolute_url())
    pdf = documents.standard_card(standard, size=size, url=url)
    return _pdf(pdf, f"standard-{standard.code}-{size}.pdf")


@rule(SIGNED_IN)
@require_GET
def manual_pdf(request, domain):
    if domain not in Domain.values:
        raise Http404
    pdf = documents.manual(request.center, domain)
    return _pdf(pdf, f"manual-{domain}.pdf")


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
