"""Centers (a tree), stationed departments, units with their code history,
people, role assignments, the promotion committee and pairings."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gembahall.core.crypto import EncryptedCharField
from gembahall.core.models import CenterModel, PublicModel
from gembahall.core.urls_fast import record_url

from .querysets import (
    CenterQuerySet,
    CommitteeQuerySet,
    DepartmentQuerySet,
    PersonQuerySet,
    RoleAssignmentQuerySet,
    UnitQuerySet,
    UnitVersionQuerySet,
)
from .scope import Scope


def mask_phone(digits: str) -> str:
    """138****5678: the first three and last four digits of a phone number."""
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class Period(models.Model):
    """Valid from / valid to: history records are ended, never deleted."""

    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.valid_to is None


class Center(PublicModel):
    class Kind(models.TextChoices):
        CITY = "city", _("city center")
        SUB = "sub", _("sub-center")
        TOWNSHIP = "township", _("township convenience center")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent center"),
    )
    # Materialised path of public ids, e.g. "<root>/<child>/": a role at a center
    # covers every center whose path starts with its own.
    path = models.CharField(_("path"), max_length=400, db_index=True, editable=False)
    # Bumped by every change to the center's units, people or roles; cached
    # renderings of the org tree and people list are keyed on it.
    org_version = models.PositiveIntegerField(
        _("organisation version"), default=0, editable=False
    )
    # Bumped by every write to the center's service rollups (tickets, cases,
    # ratings); cached before/after reports are keyed on it.
    service_version = models.PositiveIntegerField(
        _("service data version"), default=0, editable=False
    )
    osm_rollout = models.DateField(
        _("OSM rollout date"),
        null=True,
        blank=True,
        help_text=_("Splits the before/after report's default periods."),
    )

    objects = CenterQuerySet.as_manager()

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        prefix = self.parent.path if self.parent_id else ""
        self.path = f"{prefix}{self.public_id.hex}/"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return record_url("org:center_tree", self.public_id)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class Department(Period, CenterModel):
    """A stationed department (进驻部门) whose staff work at the windows."""

    name = models.CharField(_("name"), max_length=100)
    is_intermediary = models.BooleanField(_("intermediary service"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("stationed department")
        verbose_name_plural = _("stationed departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "name"],
                condition=Q(valid_to__isnull=True),
                name="department_active_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(Period, CenterModel):
    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("center leadership")
        OFFICE = "office", _("office")
        WINDOW = "window", _("department window")
        INTERMEDIARY = "intermediary", _("intermediary window")
        ZONE = "zone", _("hall zone")

    WINDOW_KINDS = (Kind.WINDOW, Kind.INTERMEDIARY)

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("window code"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="windows",
        verbose_name=_("stationed department"),
    )
    zone = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="zone_units",
        limit_choices_to={"kind": "zone"},
        verbose_name=_("hall zone"),
    )
    head = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # The inspection section's office (考核督查科 / OSM办公室): one per center;
    # its head is who "the OSM office's head" means.
    is_osm_office = models.BooleanField(
        _("OSM office"),
        default=False,
        help_text=_("The center's inspection-section office; one per center."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "code"],
                condition=Q(valid_to__isnull=True) & ~Q(code=""),
                name="unit_active_code_unique",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["window", "intermediary"]) | ~Q(code=""),
                name="unit_window_has_code",
            ),
            models.UniqueConstraint(
                fields=["center"],
                condition=Q(is_osm_office=True, valid_to__isnull=True),
                name="unit_one_osm_office",
                violation_error_message=_(
                    "Another office of this center is already the OSM office."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_osm_office=False) | Q(kind="office"),
                name="unit_osm_office_is_office",
                violation_error_message=_("Only an office can be the OSM office."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    def get_absolute_url(self) -> str:
        return record_url("org:unit_detail", self.public_id)

    @property
    def is_window(self) -> bool:
        return self.kind in self.WINDOW_KINDS

    def label_at(self, when: datetime) -> str:
        """The unit's code and name as they were at a moment in time."""
        for version in self.versions.all():
            if version.valid_from <= when and (
                version.valid_to is None or when < version.valid_to
            ):
                return version.label
        return str(self)


class UnitVersion(Period, CenterModel):
    """How a unit was named and coded during one period (renumbering, renaming,
    moving to another department)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="versions", verbose_name=_("unit")
    )
    code = models.CharField(_("window code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=100)
    department_name = models.CharField(
        _("stationed department"), max_length=100, blank=True
    )

    objects = UnitVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


class Person(Period, CenterModel):
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    staff_number = models.CharField(_("staff number"), max_length=30)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("unit"),
    )
    title = models.CharField(
        pgettext_lazy("job title", "title"), max_length=60, blank=True
    )
    is_leader = models.BooleanField(_("leader"), default=False)
    # Stored encrypted (gembahall.core.crypto); shown masked, revealed on purpose.
    phone = EncryptedCharField(_("phone"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login account"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["staff_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "staff_number"], name="person_staff_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("org:person_detail", self.public_id)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @cached_property
    def scope(self):
        return Scope.for_person(self)

    def has_perm(self, perm: str, *, center=None, unit=None) -> bool:
        return self.scope.allows(perm, center=center, unit=unit)

    def require(self, perm: str, *, center=None, unit=None) -> None:
        if not self.has_perm(perm, center=center, unit=unit):
            raise PermissionDenied


class RoleAssignment(Period, CenterModel):
    class Role(models.TextChoices):
        DIRECTOR = "director", _("director")
        INSPECTOR = "inspector", _("inspector")
        WINDOW_HEAD = "window_head", _("window head")
        LIAISON = "liaison", _("OSM liaison")
        STAFF = "staff", _("window staff")
        GUIDE = "guide", _("guide")
        SYSADMIN = "sysadmin", _("system administrator")
        SECURITY_ADMIN = "security_admin", _("security administrator")
        AUDITOR = "auditor", _("audit administrator")

    ADMIN_ROLES = (Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
    UNIT_ROLES = (Role.WINDOW_HEAD, Role.LIAISON, Role.STAFF, Role.GUIDE)

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    granted_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role="liaison", valid_to__isnull=True),
                name="one_active_liaison_per_unit",
                violation_error_message=_("This window already has an active liaison."),
            ),
            # 三员分立: one administrator role at a time; a database trigger
            # (migration 0007) keeps every other role off its holder as well.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(
                    role__in=["sysadmin", "security_admin", "auditor"],
                    valid_to__isnull=True,
                ),
                name="one_active_admin_role_per_person",
                violation_error_message=_(
                    "This person already holds an administrator role."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.center
        return f"{self.person} · {self.get_role_display()} · {where}"

    @property
    def unit_label(self) -> str:
        """Where the role was held, named as it was when it was granted."""
        if self.unit_id is None:
            return str(self.center)
        return self.unit.label_at(self.valid_from)


class CommitteeMembership(Period, CenterModel):
    """A seat on the promotion committee (推进委员会)."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice chair")
        MEMBER = "member", _("member")

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("person"),
    )
    position = models.CharField(
        _("position"), max_length=12, choices=Position.choices, default=Position.MEMBER
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["position", "valid_from"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_position_display()}"


class Pairing(Period, CenterModel):
    """A committee member paired with a window to help it (结对帮促)."""

    member = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="pairings",
        verbose_name=_("member"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="pairings",
        verbose_name=_("window"),
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.unit}"
