"""Starter standards organised by GB/T 36112 chapters, with example drawings."""

import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from gembahall.core.photos import photo_prepare

from . import drawings
from .models import Chapter, Standard
from .services import reference_photo_add, standard_create, version_publish

CONTENT = Path(__file__).parent / "content" / "standards.json"


def starter_standards(path: Path = CONTENT) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def starter_standards_load(
    *, center, author, publisher, effective_from=None, path: Path = CONTENT
) -> int:
    """Write and publish the starter standards a center does not have yet
    (from the product's file, or a center's own in the same format); without
    a publisher they stay drafts for whoever may publish them."""
    existing = set(
        Standard.objects.filter(center=center).values_list("code", flat=True)
    )
    count = 0
    for row in starter_standards(path):
        if row["code"] in existing:
            continue
        season = row.get("season") or ["", ""]
        standard = standard_create(
            actor=author,
            center=center,
            code=row["code"],
            body=row["body"],
            title=row["title"],
            domain=row["domain"],
            chapter=Chapter.from_number(row["chapter"]),
            five_s=row["five_s"],
            unit_kinds=row.get("unit_kinds", []),
            roles=row.get("roles", []),
            season_from=season[0],
            season_to=season[1],
            tell=False,
        )
        version = standard.versions.get()
        if row.get("drawing"):
            caption, png = drawings.render(row["drawing"])
            reference_photo_add(
                actor=author,
                version=version,
                # Prepared here: shipped drawings are no person's uploads and
                # do not count against the author's photo rate.
                upload=photo_prepare(
                    SimpleUploadedFile(f"{row['drawing']}.png", png, "image/png")
                ),
                caption=caption,
                is_example=True,
            )
        if publisher is not None:
            version_publish(
                actor=publisher, version=version, effective_from=effective_from
            )
        count += 1
    return count
