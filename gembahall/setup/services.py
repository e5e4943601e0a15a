"""Setting up a center: one entry that loads the checklists, the standards
(with their drawings) and the service catalogue, from the product's starter
content or from a directory of the center's own files with the same names.
The command, the first-run page and the demo all call it."""

import csv
import json
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from gembahall.casework import catalogue
from gembahall.casework.models import ServiceItem
from gembahall.core.audit import event_record
from gembahall.core.models import Photo
from gembahall.inspections import content as checklist_content
from gembahall.inspections.models import Checklist
from gembahall.org.models import Center, Person
from gembahall.standards import content as standard_content
from gembahall.standards.models import Standard, StandardVersion
from gembahall.standards.services import version_publish

STANDARDS_FILE = standard_content.CONTENT.name
CATALOGUE_FILE = catalogue.STARTER.name
CHECKLIST_FILES = [name for *_rest, name in checklist_content.STARTER]
# Every file a center's own directory may hold, as the starter set names them.
FILE_NAMES = [*CHECKLIST_FILES, STANDARDS_FILE, CATALOGUE_FILE]


@dataclass(frozen=True)
class Source:
    """Where the content comes from: the product's starter set (no directory)
    or a directory of the center's own files; a file it lacks is left out."""

    directory: Path | None = None

    def path(self, starter: Path) -> Path | None:
        if self.directory is None:
            return starter
        own = Path(self.directory) / starter.name
        return own if own.is_file() else None

    @property
    def checklist_directory(self) -> Path:
        return Path(self.directory) if self.directory else checklist_content.CONTENT

    def __str__(self) -> str:
        return str(self.directory) if self.directory else "starter"


STARTER = Source()


@dataclass
class SetupResult:
    checklists: int = 0
    standards: int = 0
    service_items: int = 0
    # Loaded standards waiting as drafts for whoever may publish them.
    drafts: int = 0
    skipped_departments: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "checklists": self.checklists,
            "standards": self.standards,
            "service_items": self.service_items,
            "drafts": self.drafts,
            "skipped_departments": self.skipped_departments,
        }


class _Rollback(Exception):
    def __init__(self, result: SetupResult, files: list[str]):
        self.result, self.files = result, files


def center_setup(
    *,
    actor: Person,
    center: Center,
    source: Source = STARTER,
    dry_run: bool = False,
    publisher: Person | None = None,
    effective_from: date | None = None,
) -> SetupResult:
    """Load what the center lacks: content it already has (by checklist and
    standard code, by department and item name) is left as the center made
    it, so a second run creates nothing. The standards are published by
    `publisher`, or by the actor when they may publish; otherwise they wait
    as drafts. A dry run loads everything in a transaction it rolls back."""
    actor.require("center.setup", center=center)
    if publisher is None and actor.has_perm("standards.publish", center=center):
        publisher = actor
    started = timezone.now()
    try:
        with transaction.atomic():
            result = _load(actor, center, source, publisher, effective_from)
            event_record(
                actor=actor,
                action="center.setup",
                target=center,
                after={"source": str(source), **result.as_dict()},
            )
            if dry_run:
                raise _Rollback(result, _files_since(center, started))
    except _Rollback as rollback:
        _remove_files(rollback.files)
        rollback.result.dry_run = True
        return rollback.result
    return result


def _load(actor, center, source, publisher, effective_from) -> SetupResult:
    result = SetupResult()
    standards = source.path(standard_content.CONTENT)
    if standards is not None:
        result.standards = standard_content.starter_standards_load(
            center=center,
            author=actor,
            publisher=publisher,
            effective_from=effective_from,
            path=standards,
        )
        if publisher is None:
            result.drafts = result.standards
    result.checklists = checklist_content.starter_checklists_load(
        center=center, directory=source.checklist_directory, actor=actor
    )
    items = source.path(catalogue.STARTER)
    if items is not None:
        loaded = _catalogue_new_items(actor, center, items)
        result.service_items = loaded.get("created", 0)
        result.skipped_departments = loaded.get("skipped", [])
    return result


def _catalogue_new_items(actor, center, path: Path) -> dict:
    """Load the catalogue rows the center does not have yet; an item already
    there keeps the center's own changes."""
    have = set(
        ServiceItem.objects.filter(center=center).values_list(
            "department__name", "name"
        )
    )
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        headers = reader.fieldnames or []
        rows = [row for row in reader if not _have(have, row)]
    if not rows:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / path.name
        with fresh.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=headers)
            writer.writeheader()
            writer.writerows(rows)
        return catalogue.catalogue_load(actor=actor, center=center, path=fresh)


def _have(have: set, row: dict) -> bool:
    department = (row.get("department") or "").strip()
    item = (row.get("item") or "").strip()
    full = catalogue.ALIASES.get(department, department)
    return (department, item) in have or (full, item) in have


def _files_since(center, started) -> list[str]:
    names = []
    for image, thumbnail in Photo.objects.filter(
        center=center, created_at__gte=started
    ).values_list("image", "thumbnail"):
        names += [image, thumbnail]
    return [name for name in names if name]


def _remove_files(names: list[str]) -> None:
    """Files the rolled-back photos wrote: a dry run leaves none behind."""
    storage = Photo._meta.get_field("image").storage
    for name in names:
        storage.delete(name)


def center_needs_setup(center: Center) -> bool:
    """True while the center has no checklists, no standards or no service
    items: what the first-run card offers to load."""
    return not (
        Checklist.objects.filter(center=center).exists()
        and Standard.objects.filter(center=center).exists()
        and ServiceItem.objects.filter(center=center).exists()
    )


def center_content(center: Center) -> dict:
    """What the center has now, beside what the starter set holds."""
    return {
        "checklists": Checklist.objects.filter(center=center).count(),
        "standards": Standard.objects.filter(center=center).count(),
        "drafts": StandardVersion.objects.filter(
            center=center, state=StandardVersion.State.DRAFT
        ).count(),
        "service_items": ServiceItem.objects.filter(center=center).count(),
    }


def starter_contents() -> dict:
    """What the product's starter set holds, read from its files."""
    checklists = []
    for code, title, _target, filename in checklist_content.STARTER:
        path = checklist_content.CONTENT / filename
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        points = sum(float(row["max_points"]) for row in rows)
        checklists.append(
            {"code": code, "title": title, "items": len(rows), "points": points}
        )
    standards = json.loads(standard_content.CONTENT.read_text(encoding="utf-8"))
    with catalogue.STARTER.open(encoding="utf-8-sig", newline="") as handle:
        items = list(csv.DictReader(handle))
    return {
        "checklists": checklists,
        "standards": standards,
        "drawings": sum(1 for row in standards if row.get("drawing")),
        "service_items": len(items),
        "departments": len({row["department"] for row in items}),
    }


@transaction.atomic
def starter_drafts_publish(*, actor: Person, center: Center) -> int:
    """Publish, in one decision, the loaded standards still waiting as first
    drafts (the director's duty); each publication is audited as usual."""
    actor.require("standards.publish", center=center)
    drafts = StandardVersion.objects.filter(
        center=center, state=StandardVersion.State.DRAFT, number=1
    ).select_related("standard")
    count = 0
    for version in drafts:
        version_publish(actor=actor, version=version)
        count += 1
    return count
