"""Standards with versions (draft → published → superseded), reference photos
and staff acknowledgements."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import CenterModel
from gembahall.core.urls_fast import record_url
from gembahall.org.models import RoleAssignment, Unit

from .querysets import (
    AcknowledgementQuerySet,
    ReferencePhotoQuerySet,
    StandardQuerySet,
    StandardVersionQuerySet,
)

MONTH_DAY = RegexValidator(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", _("Use MM-DD."))


class Chapter(models.TextChoices):
    """Chapters of GB/T 36112-2018, with chapter 5 split into its three parts."""

    # Zero-padded so that chapters sort in the standard's order.
    APPEARANCE = "05.1", _("5.1 Appearance")
    CONDUCT = "05.2", _("5.2 Conduct")
    LANGUAGE = "05.3", _("5.3 Language")
    SPACE = "06", _("6 Space")
    ORDER = "07", _("7 Order")
    ITEMS = "08", _("8 Items")
    FACILITIES = "09", _("9 Facilities and equipment")
    DOCUMENTS = "10", _("10 Documents")

    @classmethod
    def from_number(cls, number: str) -> str:
        """'5.1' or '6' as written in GB/T 36112, to the stored value."""
        head, _dot, tail = number.strip().partition(".")
        value = f"{int(head):02d}" + (f".{tail}" if tail else "")
        if value not in cls.values:
            raise ValueError(number)
        return value


class Domain(models.TextChoices):
    RESOURCES = "resources", _("Site resources")
    SERVICE = "service", _("Service management")
    SAFETY = "safety", _("Safety management")
    SOCIAL = "social", _("Social responsibility")


class FiveS(models.TextChoices):
    SORT = "sort", _("1S Sort")
    SET = "set", _("2S Set in order")
    SHINE = "shine", _("3S Shine")
    STANDARDIZE = "standardize", _("4S Standardize")
    SUSTAIN = "sustain", _("5S Sustain")


class Standard(CenterModel):
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=120)
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices)
    chapter = models.CharField(
        _("GB/T 36112 chapter"), max_length=4, choices=Chapter.choices
    )
    five_s = models.JSONField(_("5S stages"), default=list, blank=True)
    # Empty lists mean "everyone": every unit kind, every unit, every role.
    unit_kinds = models.JSONField(_("unit kinds"), default=list, blank=True)
    units = models.ManyToManyField(
        "org.Unit", blank=True, related_name="+", verbose_name=_("units")
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    season_from = models.CharField(
        _("season from (MM-DD)"), max_length=5, blank=True, validators=[MONTH_DAY]
    )
    season_to = models.CharField(
        _("season to (MM-DD)"), max_length=5, blank=True, validators=[MONTH_DAY]
    )
    current = models.ForeignKey(
        "StandardVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["chapter", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "code"], name="standard_code_unique"
            ),
            models.CheckConstraint(
                condition=(Q(season_from="") & Q(season_to=""))
                | (~Q(season_from="") & ~Q(season_to="")),
                name="standard_season_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return record_url("standards:detail", self.public_id)

    def clean(self):
        if bool(self.season_from) != bool(self.season_to):
            raise ValidationError(
                {"season_to": _("Give both ends of the season, or neither.")}
            )

    def in_season(self, day: date) -> bool:
        """Whether a day falls in the season range; a range may wrap the year
        (10-01 to 04-30)."""
        if not self.season_from:
            return True
        md = day.strftime("%m-%d")
        if self.season_from <= self.season_to:
            return self.season_from <= md <= self.season_to
        return md >= self.season_from or md <= self.season_to

    def applies_to(self, *, unit_kind: str | None, unit_id, roles: set[str]) -> bool:
        """Whether the standard covers a person in this unit with these roles."""
        if self.unit_kinds and unit_kind not in self.unit_kinds:
            return False
        unit_ids = {u.pk for u in self.units.all()}
        if unit_ids and unit_id not in unit_ids:
            return False
        return not (self.roles and not roles & set(self.roles))

    @property
    def unit_kind_labels(self) -> list[str]:
        labels = dict(Unit.Kind.choices)
        return [str(labels.get(k, k)) for k in self.unit_kinds]

    @property
    def role_labels(self) -> list[str]:
        labels = dict(RoleAssignment.Role.choices)
        return [str(labels.get(r, r)) for r in self.roles]

    @property
    def five_s_labels(self) -> list[str]:
        labels = dict(FiveS.choices)
        return [str(labels.get(s, s)) for s in self.five_s]


class StandardVersion(CenterModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("standard"),
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    body = models.TextField(_("body"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    written_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    published_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = StandardVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        ordering = ["standard", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "number"], name="standard_version_unique"
            ),
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(state="draft"),
                name="standard_one_draft",
                violation_error_message=_("This standard already has a draft."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class ReferencePhoto(CenterModel):
    """A photo showing the standard met, with a caption; demo drawings are
    marked as examples."""

    version = models.ForeignKey(
        StandardVersion,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("version"),
    )
    photo = models.ForeignKey(
        "core.Photo",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("photo"),
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_example = models.BooleanField(_("example drawing"), default=False)

    objects = ReferencePhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference photo")
        verbose_name_plural = _("reference photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption or str(self.photo)


class Acknowledgement(CenterModel):
    """A person has read one published version of a standard."""

    version = models.ForeignKey(
        StandardVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("version"),
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("person"),
    )

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"], name="acknowledgement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.version}"
