"""Writing a checked roster in batches, inside the import's one transaction."""

from pathlib import Path

from django.conf import settings

from gembahall.accounts.models import User
from gembahall.core.audit import event_record
from gembahall.core.crypto import audit_mark
from gembahall.core.imports.run import Progress
from gembahall.core.models import Event

from ..models import Center, Department, Person, RoleAssignment, Unit, UnitVersion
from .parse import RosterReader, RosterReport, RosterRow


def _batches(items: list, size: int | None = None):
    size = size or settings.IMPORT_BATCH_SIZE
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Writer:
    """Writes a validated roster inside one transaction."""

    def __init__(self, center: Center, actor: Person, report: RosterReport):
        self.center, self.actor, self.report = center, actor, report
        self.events: list[Event] = []

    def event(self, action: str, obj, after: dict | None = None) -> None:
        self.events.append(
            Event(
                center_id=self.center.pk,
                actor_id=self.actor.pk,
                actor_name=str(self.actor),
                action=action,
                target_type=obj._meta.label_lower,
                target_id=str(obj.public_id),
                target_repr=str(obj)[:300],
                after=after,
            )
        )

    def count(self, key: str, n: int) -> None:
        if n:
            self.report.created[key] = self.report.created.get(key, 0) + n

    def departments(self, rows: list[RosterRow]) -> dict[str, Department]:
        known = {
            d.name: d for d in Department.objects.active().filter(center=self.center)
        }
        new = [
            Department(center=self.center, name=n)
            for n in sorted({r.department for r in rows if r.department} - known.keys())
        ]
        for batch in _batches(new):
            Department.objects.bulk_create(batch)
        for d in new:
            known[d.name] = d
            self.event("department.create", d)
        self.count("departments", len(new))
        return known

    def units(self, rows: list[RosterRow], departments: dict) -> dict[tuple, Unit]:
        by_key = {
            self._key_of(u): u for u in Unit.objects.active().filter(center=self.center)
        }
        zones = sorted(
            {r.zone for r in rows if r.zone}
            - {name for kind, name in by_key if kind == Unit.Kind.ZONE}
        )
        self._create_units(
            by_key,
            [
                Unit(center=self.center, kind=Unit.Kind.ZONE, name=name)
                for name in zones
            ],
        )
        wanted: dict[tuple, Unit] = {}
        for r in rows:
            key = self._key_of_row(r)
            if not r.unit_kind or key in by_key or key in wanted:
                continue
            unit = Unit(
                center=self.center,
                kind=r.unit_kind,
                name=r.unit_name,
                zone=by_key.get((Unit.Kind.ZONE, r.zone)),
            )
            if r.unit_kind in Unit.WINDOW_KINDS:
                unit.name = r.unit_name or f"{r.department}窗口"
                unit.code, unit.department = r.window_code, departments[r.department]
            wanted[key] = unit
        self._create_units(by_key, list(wanted.values()))
        return by_key

    def _create_units(self, by_key: dict, new: list[Unit]) -> None:
        for batch in _batches(new):
            Unit.objects.bulk_create(batch)
        versions = [
            UnitVersion(
                center=self.center,
                unit=u,
                code=u.code,
                name=u.name,
                department_name=u.department.name if u.department else "",
                valid_from=u.valid_from,
            )
            for u in new
        ]
        for batch in _batches(versions):
            UnitVersion.objects.bulk_create(batch)
        for u in new:
            by_key[self._key_of(u)] = u
            self.event("unit.create", u)
        self.count("units", len(new))

    @staticmethod
    def _key_of(unit: Unit) -> tuple:
        return ("code", unit.code) if unit.code else (unit.kind, unit.name)

    @staticmethod
    def _key_of_row(r: RosterRow) -> tuple:
        return ("code", r.window_code) if r.window_code else (r.unit_kind, r.unit_name)

    def people(self, rows: list[RosterRow], units: dict) -> dict[str, Person]:
        existing = {
            p.staff_number: p
            for p in Person.objects.filter(
                center=self.center, staff_number__in=[r.staff_number for r in rows]
            )
        }
        new, changed = [], []
        for r in rows:
            unit = units.get(self._key_of_row(r)) if r.unit_kind else None
            values = {
                "name": r.name,
                "unit": unit,
                "title": r.title,
                "is_leader": r.is_leader,
                "phone": r.phone,
            }
            person = existing.get(r.staff_number)
            if person is None:
                person = Person(
                    center=self.center, staff_number=r.staff_number, **values
                )
                new.append(person)
                existing[r.staff_number] = person
                continue
            if not r.unit_kind:
                values.pop("unit")
            diff = {k: v for k, v in values.items() if getattr(person, k) != v}
            if diff:
                for k, v in diff.items():
                    setattr(person, k, v)
                changed.append((person, _event_diff(diff)))
            else:
                self.report.unchanged += 1
        for batch in _batches(new):
            Person.objects.bulk_create(batch)
        for batch in _batches([p for p, _d in changed]):
            Person.objects.bulk_update(
                batch, ["name", "unit", "title", "is_leader", "phone"]
            )
        for p in new:
            self.event("person.create", p)
        for p, diff in changed:
            self.event("person.update", p, after=diff)
        self.count("people", len(new))
        self.report.updated = len(changed)
        return existing

    def roles(self, rows: list[RosterRow], units: dict, people: dict) -> None:
        held = set(
            RoleAssignment.objects.active()
            .filter(center=self.center)
            .values_list("person_id", "role", "unit_id")
        )
        new = []
        for r in rows:
            person, unit = people[r.staff_number], units.get(self._key_of_row(r))
            for role in r.roles:
                if (person.pk, role, unit.pk) not in held:
                    held.add((person.pk, role, unit.pk))
                    new.append(
                        RoleAssignment(
                            center=self.center,
                            person=person,
                            role=role,
                            unit=unit,
                            granted_by=self.actor,
                        )
                    )
        for batch in _batches(new):
            RoleAssignment.objects.bulk_create(batch)
        for a in new:
            self.event("role.assign", a)
        self.count("roles", len(new))

    def accounts(self, rows: list[RosterRow], people: dict) -> None:
        pending = [
            (r.username, people[r.staff_number])
            for r in rows
            if r.username and people[r.staff_number].user_id is None
        ]
        users = []
        for username, _person in pending:
            # No password until an administrator sets one, and that one is
            # changed at the first sign-in.
            user = User(username=username, password_temporary=True)
            user.set_unusable_password()
            users.append(user)
        for batch in _batches(users):
            User.objects.bulk_create(batch)
        for user, (_name, person) in zip(users, pending, strict=True):
            person.user = user
        for batch in _batches([p for _n, p in pending]):
            Person.objects.bulk_update(batch, ["user"])
        for _name, person in pending:
            self.event(
                "account.create", person, after={"username": person.user.username}
            )
        self.count("accounts", len(users))


class RosterImporter(RosterReader):
    """Writes a roster whose every row is good, in one transaction."""

    def write(self, records: list[RosterRow]) -> None:
        if self.dry_run:
            return
        step = self.progress or (lambda fraction: None)
        writer = _Writer(self.center, self.actor, self.report)
        departments = writer.departments(records)
        units = writer.units(records, departments)
        step(0.6)
        people = writer.people(records, units)
        step(0.8)
        writer.roles(records, units, people)
        writer.accounts(records, people)
        if writer.events:
            for batch in _batches(writer.events):
                Event.objects.bulk_create(batch)
            summary = self.report.as_dict()
            del summary["preview"]
            event_record(
                actor=self.actor,
                action="org.import",
                target=self.center,
                center_id=self.center.pk,
                after=summary,
            )
            Center.objects.org_changed(self.center.pk)


def import_roster(
    *,
    actor: Person,
    center: Center,
    path: Path,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> RosterReport:
    """Check the whole roster; write it only when every row is good."""
    actor.require("org.import", center=center)
    return RosterImporter(
        actor=actor, center=center, path=path, dry_run=dry_run, progress=progress
    ).run()


def _event_diff(diff: dict) -> dict:
    """The changed values as the audit trail keeps them: a phone number as
    its fingerprint only."""
    return {k: audit_mark(v) if k == "phone" else str(v) for k, v in diff.items()}
