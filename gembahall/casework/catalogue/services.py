"""Changing the catalogue from its pages: editing one item, and starting a
catalogue import (a preview first, the import once the preview is clean)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gembahall.core.audit import event_record
from gembahall.core.models import uuid7
from gembahall.core.services import job_start

from ..models import ServiceItem
from .tasks import catalogue_import_task

EDITABLE = (
    "name",
    "code",
    "category",
    "department",
    "handling",
    "statutory_days",
    "promised_days",
    "materials",
    "visits",
    "fee",
    "online_depth",
    "agent_service",
)
SUFFIXES = {".csv", ".xlsx", ".xls"}


def _plain(value):
    return getattr(value, "name", value) if hasattr(value, "pk") else value


@transaction.atomic
def service_item_update(*, actor, item: ServiceItem, **changes) -> ServiceItem:
    """Change an item's fields; the one-time notice prints from them. Records
    the fields changed, before and after."""
    actor.require("service.catalogue", center=item.center)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    department = changes.get("department", item.department)
    if department.center_id != item.center_id:
        raise ValidationError({"department": _("Choose a department of this center.")})
    before = {f: _plain(getattr(item, f)) for f in changes}
    for name, value in changes.items():
        setattr(item, name, value)
    _item_check(item)
    item.save()
    after = {f: _plain(getattr(item, f)) for f in changes}
    changed = [f for f in changes if before[f] != after[f]]
    event_record(
        actor=actor,
        action="service_item.update",
        target=item,
        before={f: before[f] for f in changed},
        after={f: after[f] for f in changed},
    )
    return item


def _item_check(item: ServiceItem) -> None:
    errors = {}
    if not item.name.strip():
        errors["name"] = _("Name the item.")
    if item.statutory_days and item.promised_days > item.statutory_days:
        errors["promised_days"] = _(
            "The promised limit must be within the statutory one."
        )
    others = ServiceItem.objects.filter(center=item.center).exclude(pk=item.pk)
    if others.filter(department=item.department, name=item.name).exists():
        errors["name"] = _("This department already has an item of this name.")
    if item.code and others.filter(code=item.code).exists():
        errors["code"] = _("Another item already has this code.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def catalogue_job_start(*, actor, center, upload=None, path: str = ""):
    """A preview of an uploaded catalogue file, or the import of a file whose
    preview was clean."""
    actor.require("service.catalogue", center=center)
    dry_run = upload is not None
    if dry_run:
        name = upload.name
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in SUFFIXES:
            raise ValidationError({"file": _("Upload a CSV or Excel file.")})
        folder = settings.MEDIA_ROOT / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{uuid7()}{suffix}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        path = str(target)
        title = _("Catalogue preview: %(name)s") % {"name": name}
    else:
        title = _("Catalogue import")
    return job_start(
        actor=actor,
        center=center,
        kind="catalogue_import",
        title=title,
        params={"path": path, "dry_run": dry_run},
        task=catalogue_import_task,
    )
