"""Checklists (versioned), plans, rounds, inspections and their item results."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import CenterModel, uuid7
from gembahall.core.urls_fast import record_url
from gembahall.standards.models import Chapter, Domain

from .querysets import (
    ChecklistItemQuerySet,
    ChecklistQuerySet,
    InspectionPlanQuerySet,
    InspectionQuerySet,
    ItemResultQuerySet,
    RoundQuerySet,
)

POINTS = {"max_digits": 5, "decimal_places": 2}


class Checklist(CenterModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")

    class Target(models.TextChoices):
        WINDOW = "window", _("window")
        OFFICE = "office", _("office")
        LEADERSHIP = "leadership", _("center leadership")
        ZONE = "zone", _("hall public area")
        ANY = "any", _("any unit")

    code = models.CharField(_("code"), max_length=20)
    number = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=120)
    target = models.CharField(
        _("inspects"), max_length=12, choices=Target.choices, default=Target.WINDOW
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    # The points the items must add up to; empty: not checked.
    total_points = models.DecimalField(
        _("total points"), **POINTS, null=True, blank=True
    )

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["code", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "code", "number"], name="checklist_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def get_absolute_url(self) -> str:
        return record_url("inspections:checklist", self.public_id)


class ChecklistItem(CenterModel):
    class Method(models.TextChoices):
        LOOK = "look", _("on-site look")
        RECORDS = "records", _("record check")
        INQUIRY = "inquiry", _("inquiry")

    class Severity(models.TextChoices):
        MINOR = "minor", _("minor")
        GENERAL = "general", _("general")
        SERIOUS = "serious", _("serious")

    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("checklist"),
    )
    # Stays the same across checklist versions, so repeats are found across them.
    key = models.UUIDField(_("item key"), default=uuid7, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    chapter = models.CharField(
        _("GB/T 36112 chapter"), max_length=4, choices=Chapter.choices
    )
    section = models.CharField(_("section"), max_length=40, blank=True)
    criterion = models.CharField(_("criterion"), max_length=300)
    standard = models.ForeignKey(
        "standards.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checklist_items",
        verbose_name=_("standard"),
    )
    max_points = models.DecimalField(
        _("max points"), **POINTS, validators=[MinValueValidator(Decimal("0.5"))]
    )
    deduction = models.DecimalField(
        _("deduction per occurrence"),
        **POINTS,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    cap = models.DecimalField(_("deduction cap"), **POINTS)
    method = models.CharField(
        _("method"), max_length=8, choices=Method.choices, default=Method.LOOK
    )
    photo_required = models.BooleanField(_("deduction needs a photo"), default=True)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.GENERAL
    )
    five_s = models.CharField(_("5S stage"), max_length=12, blank=True)
    domain = models.CharField(
        _("domain"), max_length=12, choices=Domain.choices, blank=True
    )
    # Empty: every unit the checklist inspects.
    unit_kinds = models.JSONField(_("unit kinds"), default=list, blank=True)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cap__lte=F("max_points")) & Q(cap__gt=0),
                name="item_cap_within_max",
                violation_error_message=_(
                    "The deduction cap must be above 0 and at most the max points."
                ),
            ),
            models.CheckConstraint(
                condition=Q(deduction__gt=0), name="item_deduction_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.criterion

    def applies_to(self, unit_kind: str) -> bool:
        return not self.unit_kinds or unit_kind in self.unit_kinds

    def clean(self):
        known = self.cap is not None and self.max_points is not None
        if known and not 0 < self.cap <= self.max_points:
            message = _("The deduction cap must be above 0 and at most the max points.")
            raise ValidationError({"cap": message})


class InspectionPlan(CenterModel):
    class Cadence(models.TextChoices):
        DAILY = "daily", _("daily patrol")
        WEEKLY = "weekly", _("weekly check")
        MONTHLY = "monthly", _("monthly assessment")
        WEEKDAYS = "weekdays", _("on given weekdays")
        AD_HOC = "ad_hoc", _("ad hoc")

    name = models.CharField(_("name"), max_length=120)
    checklist_code = models.CharField(_("checklist"), max_length=20)
    # Leadership and offices are held to their own checklist when one is set.
    office_checklist_code = models.CharField(
        _("checklist for leadership and offices"), max_length=20, blank=True
    )
    cadence = models.CharField(
        _("cadence"), max_length=8, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    target_kinds = models.JSONField(_("unit kinds"), default=list, blank=True)
    units = models.ManyToManyField(
        "org.Unit", blank=True, related_name="+", verbose_name=_("units")
    )
    inspectors = models.ManyToManyField(
        "org.Person", blank=True, related_name="+", verbose_name=_("inspectors")
    )
    # When a scheduled round opens: the weekdays (0 = Monday) of a weekly or
    # weekday plan, the day of the month of a monthly one.
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    window_days = models.PositiveSmallIntegerField(
        _("days a round stays open"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = InspectionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(day_of_month__gte=1, day_of_month__lte=28)
                & Q(window_days__gte=1),
                name="plan_schedule_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("inspections:plan", self.public_id)


class Round(CenterModel):
    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("plan"),
    )
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    created_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Set on rounds the schedule opens: the period they belong to (one round
    # per plan and period), the last day of their window, and when the OSM
    # office's head was told the round ran late.
    period_start = models.DateField(_("period start"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    overdue_sent_at = models.DateTimeField(
        _("overdue notice sent at"), null=True, blank=True
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_start"],
                condition=Q(period_start__isnull=False),
                name="round_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("inspections:round", self.public_id)


class Inspection(CenterModel):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official inspection")
        SELF = "self", _("self-inspection")
        CROSS = "cross", _("cross-inspection")

    class State(models.TextChoices):
        DRAFT = "draft", _("in progress")
        FINAL = "final", _("final")

    class Tier(models.IntegerChoices):
        """The seed's order: leaders first, then offices, then windows."""

        LEADERSHIP = 0, _("leadership")
        OFFICE = 1, _("offices")
        WINDOW = 2, _("windows and areas")

    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("checklist"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("round"),
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("unit"),
    )
    unit_label = models.CharField(_("unit at the time"), max_length=130)
    kind = models.CharField(
        _("kind"), max_length=8, choices=Kind.choices, default=Kind.OFFICIAL
    )
    tier = models.PositiveSmallIntegerField(
        _("order"), choices=Tier.choices, default=Tier.WINDOW
    )
    state = models.CharField(
        _("state"), max_length=6, choices=State.choices, default=State.DRAFT
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    by_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspecting window"),
    )
    witness = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("witness"),
    )
    witness_confirmed_at = models.DateTimeField(
        _("witness confirmed at"), null=True, blank=True
    )
    score = models.DecimalField(_("score"), **POINTS, null=True, blank=True)
    deducted = models.DecimalField(_("points deducted"), **POINTS, default=0)
    deduction_count = models.PositiveSmallIntegerField(_("deductions"), default=0)
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "tier", "unit_label"]
        indexes = [
            # Covers a ranking's period stamp (count and last finalized).
            models.Index(
                fields=["center", "kind", "state", "inspected_on", "finalized_at"],
                name="inspection_ranking",
            ),
            models.Index(fields=["unit", "finalized_at"], name="inspection_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_label} · {self.inspected_on}"

    def get_absolute_url(self) -> str:
        return record_url("inspections:inspection", self.public_id)

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINAL

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL


class ItemResult(CenterModel):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("not yet checked")
        PASS = "pass", _("pass")
        DEDUCT = "deduct", _("deduct")
        NA = "na", _("not applicable")

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("inspection"),
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name=_("item"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING
    )
    occurrences = models.PositiveSmallIntegerField(_("occurrences"), default=0)
    is_repeat = models.BooleanField(_("unfixed repeat"), default=False)
    points = models.DecimalField(_("points deducted"), **POINTS, default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    photos = models.ManyToManyField(
        "core.Photo", blank=True, related_name="+", verbose_name=_("photos")
    )
    # The problem a deduction raised, once the inspection is final.
    problem = models.OneToOneField(
        "rectification.Problem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="item_result",
        verbose_name=_("problem"),
    )

    objects = ItemResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        ordering = ["item__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], name="item_result_once"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="deduct") | Q(occurrences__gte=1),
                name="deduction_has_occurrences",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.item}"
