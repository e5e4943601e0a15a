"""Use-cases that change the organisation; each is atomic and audited."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gembahall.accounts.models import RESERVED_USERNAMES, User
from gembahall.core.audit import changes, event_record, snapshot
from gembahall.core.models import Job, uuid7
from gembahall.core.services import job_start

from .models import (
    Center,
    CommitteeMembership,
    Department,
    Pairing,
    Person,
    RoleAssignment,
    Unit,
    UnitVersion,
)
from .tasks import roster_import_task

UNIT_FIELDS = (
    "kind",
    "name",
    "code",
    "department",
    "zone",
    "head",
    "is_osm_office",
)
PERSON_FIELDS = ("name", "staff_number", "unit", "title", "is_leader", "phone")


def _open_version(unit: Unit, when) -> UnitVersion:
    return UnitVersion.objects.create(
        center=unit.center,
        unit=unit,
        code=unit.code,
        name=unit.name,
        department_name=unit.department.name if unit.department_id else "",
        valid_from=when,
    )


@transaction.atomic
def unit_create(*, actor: Person, center: Center, **fields) -> Unit:
    actor.require("org.edit", center=center)
    unit = Unit(center=center, **fields)
    unit.full_clean()
    unit.save()
    _open_version(unit, unit.valid_from)
    event_record(actor=actor, action="unit.create", target=unit, after=snapshot(unit))
    Center.objects.org_changed(unit.center_id)
    return unit


@transaction.atomic
def unit_update(*, actor: Person, unit: Unit, **fields) -> Unit:
    """Edit a unit. A new code, name or department closes the current version
    so older records still show the unit as it was."""
    actor.require("org.edit", unit=unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    after = snapshot(unit)
    if before == after:
        return unit
    versioned = ("code", "name", "department")
    if any(before[f] != after[f] for f in versioned):
        now = timezone.now()
        unit.versions.filter(valid_to__isnull=True).update(valid_to=now)
        _open_version(unit, now)
    before, after = changes(before, after)
    action = "unit.renumber" if "code" in after else "unit.update"
    event_record(actor=actor, action=action, target=unit, before=before, after=after)
    Center.objects.org_changed(unit.center_id)
    return unit


@transaction.atomic
def unit_end(*, actor: Person, unit: Unit, merged_into: Unit | None = None) -> Unit:
    """End a unit (it is never deleted); its people and roles move or end with it."""
    actor.require("org.edit", unit=unit)
    if not unit.is_active:
        raise ValidationError(_("This unit has already ended."))
    if merged_into is not None and (
        merged_into.pk == unit.pk or not merged_into.is_active
    ):
        raise ValidationError({"merged_into": _("Choose another active unit.")})
    now = timezone.now()
    unit.valid_to = now
    unit.merged_into = merged_into
    unit.save(update_fields=["valid_to", "merged_into", "updated_at"])
    unit.versions.filter(valid_to__isnull=True).update(valid_to=now)
    RoleAssignment.objects.active().filter(unit=unit).update(valid_to=now)
    if merged_into is not None:
        Person.objects.active().filter(unit=unit).update(unit=merged_into)
    Center.objects.org_changed(unit.center_id)
    event_record(
        actor=actor,
        action="unit.end",
        target=unit,
        after={"merged_into": str(merged_into) if merged_into else None},
    )
    return unit


@transaction.atomic
def department_merge(
    *, actor: Person, source: Department, target: Department
) -> Department:
    """Merge one stationed department into another: its windows move over, and
    each window's history keeps the old department name."""
    actor.require("org.edit", center=source.center)
    if source.pk == target.pk or source.center_id != target.center_id:
        raise ValidationError(
            {"target": _("Choose another department of the same center.")}
        )
    for window in source.windows.active():
        unit_update(actor=actor, unit=window, department=target)
    source.valid_to = timezone.now()
    source.merged_into = target
    source.save(update_fields=["valid_to", "merged_into", "updated_at"])
    event_record(
        actor=actor,
        action="department.merge",
        target=source,
        after={"into": target.name},
    )
    Center.objects.org_changed(source.center_id)
    return source


@transaction.atomic
def person_create(*, actor: Person, center: Center, **fields) -> Person:
    actor.require("org.edit", center=center)
    person = Person(center=center, **fields)
    person.full_clean()
    person.save()
    event_record(
        actor=actor, action="person.create", target=person, after=snapshot(person)
    )
    Center.objects.org_changed(person.center_id)
    return person


def may_see_phone(actor: Person, person: Person) -> bool:
    """Who may reveal a staff member's number: whoever holds org.view_phone
    over the person's center or unit (the director, the window's head)."""
    return bool(person.phone) and (
        actor.has_perm("org.view_phone", center=person.center)
        or (
            person.unit_id is not None
            and actor.has_perm("org.view_phone", unit=person.unit)
        )
    )


@transaction.atomic
def person_phone_reveal(*, actor: Person, person: Person) -> str:
    """The full number, for one answer; the trail keeps who saw whose number
    and when, never the number."""
    if not may_see_phone(actor, person):
        raise PermissionDenied
    event_record(
        actor=actor,
        action="person.phone_reveal",
        target=person,
        after={"revealed": True},
    )
    return person.phone


@transaction.atomic
def person_update(*, actor: Person, person: Person, **fields) -> Person:
    actor.require("org.edit", center=person.center)
    # The row as stored: a bound form has already set its values on the
    # instance it was given, which would leave nothing to compare.
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    after = snapshot(person)
    if before == after:
        return person
    person.save()
    before, after = changes(before, after)
    event_record(
        actor=actor, action="person.update", target=person, before=before, after=after
    )
    Center.objects.org_changed(person.center_id)
    return person


def holds_admin_role(person: Person) -> bool:
    return (
        RoleAssignment.objects.active()
        .filter(person=person, role__in=RoleAssignment.ADMIN_ROLES)
        .exists()
    )


def may_act_on_account(actor: Person, person: Person) -> bool:
    """三员分立: the system administrator acts on the accounts of the center's
    people, the security administrator on those of the administrators, and
    nobody on their own."""
    if actor.pk == person.pk:
        return False
    if holds_admin_role(person):
        return actor.has_perm("roles.assign", center=person.center)
    return actor.has_perm("accounts.manage", center=person.center)


def _require_account_duty(actor: Person, person: Person) -> None:
    if not may_act_on_account(actor, person):
        raise PermissionDenied


@transaction.atomic
def account_create(
    *, actor: Person, person: Person, username: str, password: str
) -> User:
    """Give a person a login account (sysadmin duty; an administrator's
    account is the security administrator's)."""
    _require_account_duty(actor, person)
    if person.user_id:
        raise ValidationError(_("This person already has an account."))
    username = username.strip()
    if username.lower() in RESERVED_USERNAMES:
        raise ValidationError(
            {"username": _("This username is reserved; choose another.")}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password, temporary=True)
    user.save()
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    event_record(
        actor=actor,
        action="account.create",
        target=person,
        after={"username": username},
    )
    Center.objects.org_changed(person.center_id)
    return user


@transaction.atomic
def account_set_password(*, actor: Person, person: Person, password: str) -> User:
    """Set a first or new password on a person's account (sysadmin duty; an
    administrator's is the security administrator's); the account's existing
    sessions end with it. The password is temporary: the person changes it at
    the next sign-in."""
    if actor.pk == person.pk:
        raise ValidationError(_("Change your own password on the password page."))
    _require_account_duty(actor, person)
    if person.user_id is None:
        raise ValidationError(_("This person has no account yet."))
    user = person.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password, temporary=True)
    user.save(update_fields=["password"])
    event_record(actor=actor, action="account.set_password", target=person)
    return user


def duty_conflict(person: Person, role: str) -> str | None:
    """三员分立: why the person may not hold `role` beside the roles they hold,
    or None. An administrator role excludes the other two and every business
    role; the database holds the same rule (migration 0007)."""
    held = set(
        RoleAssignment.objects.active()
        .filter(person=person)
        .values_list("role", flat=True)
    )
    admin = set(RoleAssignment.ADMIN_ROLES)
    clash = held if role in admin else held & admin
    if not clash:
        return None
    return _(
        "%(person)s holds the role “%(held)s”, which cannot be combined with "
        "“%(role)s”: an administrator holds no other role."
    ) % {
        "person": person,
        "held": RoleAssignment.Role(sorted(clash)[0]).label,
        "role": RoleAssignment.Role(role).label,
    }


@transaction.atomic
def role_assign(
    *, actor: Person, person: Person, role: str, unit: Unit | None = None
) -> RoleAssignment:
    """Grant a role at the person's center or at one unit (security_admin duty)."""
    center = unit.center if unit is not None else person.center
    actor.require("roles.assign", center=center)
    if actor.pk == person.pk:
        raise ValidationError(_("Nobody can grant a role to themselves."))
    if role in RoleAssignment.UNIT_ROLES and unit is None:
        raise ValidationError({"unit": _("This role is held at a unit; choose one.")})
    if role in RoleAssignment.ADMIN_ROLES and unit is not None:
        raise ValidationError(
            {"unit": _("An administrator role is held for the whole center.")}
        )
    if unit is not None and (not unit.is_active or unit.center_id != person.center_id):
        raise ValidationError(
            {"unit": _("Choose an active unit of this person's center.")}
        )
    if (
        RoleAssignment.objects.active()
        .filter(person=person, role=role, unit=unit)
        .exists()
    ):
        raise ValidationError({"role": _("This person already holds this role there.")})
    if message := duty_conflict(person, role):
        raise ValidationError({"role": message})
    assignment = RoleAssignment(
        center=center, person=person, role=role, unit=unit, granted_by=actor
    )
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:
        # Another grant got there first: the database's guards said no.
        message = duty_conflict(person, role) or _(
            "This window already has an active liaison."
        )
        raise ValidationError({"role": message}) from error
    event_record(
        actor=actor, action="role.assign", target=assignment, after=snapshot(assignment)
    )
    Center.objects.org_changed(assignment.center_id)
    return assignment


@transaction.atomic
def role_end(*, actor: Person, assignment: RoleAssignment) -> RoleAssignment:
    actor.require("roles.assign", center=assignment.center)
    if actor.pk == assignment.person_id:
        raise ValidationError(_("Nobody can change their own roles."))
    if not assignment.is_active:
        raise ValidationError(_("This role has already ended."))
    assignment.valid_to = timezone.now()
    assignment.save(update_fields=["valid_to", "updated_at"])
    event_record(actor=actor, action="role.end", target=assignment)
    Center.objects.org_changed(assignment.center_id)
    return assignment


def roster_job_start(
    *, actor: Person, center: Center, upload=None, path: str = ""
) -> "Job":
    """Queue a roster import: a dry-run preview for a new upload, the real
    import for a file that passed its preview."""
    actor.require("org.import", center=center)
    dry_run = upload is not None
    if dry_run:
        folder = settings.MEDIA_ROOT / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{uuid7()}.xlsx"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        path = str(target)
        title = _("Roster preview: %(name)s") % {"name": upload.name}
    else:
        title = _("Roster import")
    return job_start(
        actor=actor,
        center=center,
        kind="roster_import",
        title=title,
        params={"path": path, "dry_run": dry_run},
        task=roster_import_task,
    )


@transaction.atomic
def committee_join(
    *,
    actor: Person,
    person: Person,
    position: str = CommitteeMembership.Position.MEMBER,
) -> CommitteeMembership:
    """Seat a person on the center's promotion committee (推进委员会)."""
    actor.require("committee.manage", center=person.center)
    if not person.is_active:
        raise ValidationError({"person": _("This person has left the center.")})
    if person.committee_seats.filter(valid_to__isnull=True).exists():
        raise ValidationError(
            {"person": _("This person already sits on the committee.")}
        )
    seat = CommitteeMembership.objects.create(
        center=person.center, person=person, position=position
    )
    event_record(
        actor=actor, action="committee.join", target=seat, after=snapshot(seat)
    )
    return seat


@transaction.atomic
def committee_leave(*, actor: Person, seat: CommitteeMembership) -> CommitteeMembership:
    """End a committee seat and the member's pairings with it."""
    actor.require("committee.manage", center=seat.center)
    if not seat.is_active:
        raise ValidationError(_("This seat has already ended."))
    now = timezone.now()
    seat.valid_to = now
    seat.save(update_fields=["valid_to", "updated_at"])
    Pairing.objects.active().filter(member=seat.person_id).update(valid_to=now)
    event_record(actor=actor, action="committee.leave", target=seat)
    Center.objects.org_changed(seat.center_id)
    return seat


@transaction.atomic
def pairing_add(*, actor: Person, member: Person, unit: Unit) -> Pairing:
    """Pair a committee member with a window (结对帮促)."""
    actor.require("committee.manage", center=unit.center)
    if not unit.is_window or not unit.is_active:
        raise ValidationError({"unit": _("Choose an active window.")})
    if not member.committee_seats.filter(valid_to__isnull=True).exists():
        raise ValidationError(
            {"member": _("Only committee members are paired with windows.")}
        )
    if Pairing.objects.active().filter(member=member, unit=unit).exists():
        raise ValidationError(
            {"member": _("This member is already paired with this window.")}
        )
    pairing = Pairing.objects.create(center=unit.center, member=member, unit=unit)
    event_record(
        actor=actor, action="pairing.add", target=pairing, after=snapshot(pairing)
    )
    Center.objects.org_changed(unit.center_id)
    return pairing


@transaction.atomic
def pairing_end(*, actor: Person, pairing: Pairing) -> Pairing:
    actor.require("committee.manage", center=pairing.center)
    if not pairing.is_active:
        raise ValidationError(_("This pairing has already ended."))
    pairing.valid_to = timezone.now()
    pairing.save(update_fields=["valid_to", "updated_at"])
    event_record(actor=actor, action="pairing.end", target=pairing)
    Center.objects.org_changed(pairing.center_id)
    return pairing
