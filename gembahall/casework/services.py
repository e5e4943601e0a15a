"""Starting an import from the upload page, and logging first inquiries."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.models import uuid7
from gembahall.core.services import job_start

from .models import FirstInquiry, Source
from .tasks import records_import_task

SUFFIXES = {".csv", ".xlsx", ".xls"}


@transaction.atomic
def import_job_start(
    *,
    actor,
    center,
    kind: str,
    source: str,
    upload=None,
    path: str = "",
    dry_run: bool = True,
):
    """A dry run for a new upload; the real import for a file whose dry run
    passed."""
    actor.require("service.import", center=center)
    if upload is not None:
        suffix = (
            "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        )
        if suffix not in SUFFIXES:
            raise ValidationError({"file": _("Upload a CSV or Excel file.")})
        folder = settings.MEDIA_ROOT / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{uuid7()}{suffix}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        path = str(target)
        name = upload.name
    else:
        name = path.rsplit("/", 1)[-1]
    label = _("Queue tickets") if kind == Source.Kind.TICKETS else _("Cases")
    title = (
        _("%(what)s preview: %(name)s") if dry_run else _("%(what)s import: %(name)s")
    ) % {"what": label, "name": name}
    return job_start(
        actor=actor,
        center=center,
        kind="records_import",
        title=title,
        params={
            "path": path,
            "kind": kind,
            "source": source,
            "dry_run": dry_run,
            "name": name,
        },
        task=records_import_task,
    )


@transaction.atomic
def inquiry_log(*, actor, question: str, ending: str, window=None, asked_at=None):
    actor.require("inquiries.log")
    if not question.strip():
        raise ValidationError({"question": _("Write down what was asked.")})
    if ending == FirstInquiry.Ending.ESCORTED and window is None:
        raise ValidationError(
            {"window": _("Say which window the citizen was taken to.")}
        )
    inquiry = FirstInquiry.objects.create(
        center=actor.center,
        asked_at=asked_at or timezone.now(),
        question=question.strip(),
        answered_by=actor,
        ending=ending,
        window=window,
    )
    event_record(
        actor=actor, action="inquiry.log", target=inquiry, after={"ending": ending}
    )
    return inquiry
