"""The photo-integrity check (`gembahall check_photos`, and daily from
`gembahall tick`): every stored photo file and thumbnail read back and its
SHA-256 compared with the one kept when it was stored. A missing or changed
file goes to the audit trail and to the center's system administrators."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .audit import event_record
from .backups import daily_due
from .models import Event, Photo
from .notify import notify_holders
from .periodic import periodic


@dataclass(frozen=True)
class Finding:
    photo: Photo
    file: str  # "image" or "thumbnail"
    name: str
    expected: str
    found: str | None  # None: the file is missing

    def as_text(self) -> str:
        if self.found is None:
            return _("missing: %(file)s") % {"file": self.name}
        return _("changed: %(file)s") % {"file": self.name}


def _file_sha256(field) -> str | None:
    try:
        with field.storage.open(field.name, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def _findings(photos) -> tuple[int, list[Finding]]:
    checked, findings = 0, []
    for photo in photos:
        for file, expected in (
            ("image", photo.sha256),
            ("thumbnail", photo.thumbnail_sha256),
        ):
            field = getattr(photo, file)
            if not field.name:
                continue
            checked += 1
            found = _file_sha256(field)
            # A thumbnail stored before its hash was kept is checked for presence.
            if found is None or (expected and found != expected):
                findings.append(Finding(photo, file, field.name, expected, found))
    return checked, findings


def _report(findings: list[Finding]) -> None:
    by_center: dict[int, list[Finding]] = {}
    for finding in findings:
        event_record(
            actor=None,
            action="photo.check_failed",
            target=finding.photo,
            before={"file": finding.name, "sha256": finding.expected},
            after={
                "file": finding.name,
                "sha256": finding.found,
                "missing": finding.found is None,
            },
            result=Event.Result.FAILED,
        )
        by_center.setdefault(finding.photo.center_id, []).append(finding)
    for center_findings in by_center.values():
        count = len(center_findings)
        # The permission that marks the system administrator, who keeps the server.
        notify_holders(
            "accounts.manage",
            center=center_findings[0].photo.center,
            kind="photo.check_failed",
            title=ngettext(
                "%(count)d photo file is missing or changed",
                "%(count)d photo files are missing or changed",
                count,
            )
            % {"count": count},
            body="; ".join(f.as_text() for f in center_findings[:50]),
            url="",
        )


def photos_check() -> dict[str, int]:
    """Check every photo file; report what is missing or changed."""
    photos = Photo.objects.select_related("center").order_by("pk")
    checked, findings = _findings(photos.iterator(chunk_size=500))
    with transaction.atomic():
        _report(findings)
        event_record(
            actor=None,
            action="photo.check",
            target_type="photo",
            after={"files": checked, "failed": len(findings)},
            result=Event.Result.FAILED if findings else Event.Result.OK,
        )
    return {"files": checked, "failed": len(findings)}


@periodic("photo_check")
def photos_check_scheduled(now: datetime) -> dict | None:
    """The daily check at GEMBAHALL_PHOTO_CHECK_AT."""
    last = (
        Event.objects.filter(action="photo.check")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if not daily_due(now, settings.GEMBAHALL_PHOTO_CHECK_AT, last):
        return None
    return photos_check()
