"""Problems found in the hall, whatever found them, the steps that drive each to
a verified fix, PDCAA improvement cycles and good practices."""

from datetime import timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import CenterModel

from .querysets import (
    OWNER_STATES,
    AdoptionQuerySet,
    ImprovementQuerySet,
    ImprovementTaskQuerySet,
    PracticeQuerySet,
    ProblemQuerySet,
    ProblemStepQuerySet,
)

REPEAT_WINDOW = timedelta(days=90)


class Problem(CenterModel):
    class Source(models.TextChoices):
        INSPECTION = "inspection", _("inspection")
        RATING = "rating", _("citizen rating")
        SELF_REPORT = "self_report", _("self-report")
        SPOT = "spot", _("spot finding")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        SUBMITTED = "submitted", _("fix submitted")
        RETURNED = "returned", _("returned")
        CLOSED = "closed", _("closed")

    class Severity(models.TextChoices):
        MINOR = "minor", _("minor")
        GENERAL = "general", _("general")
        SERIOUS = "serious", _("serious")

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("unit"),
    )
    location = models.CharField(_("where"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.OPEN
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.GENERAL
    )
    description = models.TextField(_("description"))
    standard = models.ForeignKey(
        "standards.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("standard"),
    )
    item_key = models.UUIDField(_("checklist item key"), null=True, blank=True)
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_problems",
        verbose_name=_("owner"),
    )
    reported_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    photos = models.ManyToManyField(
        "core.Photo", blank=True, related_name="+", verbose_name=_("evidence photos")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("deadline provisional"), default=False)
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
    )
    submitted_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fix submitted by"),
    )
    submitted_at = models.DateTimeField(_("fix submitted at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Local days and the time to close, kept so dashboards group by day
    # instead of converting every timestamp.
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    days_to_close = models.FloatField(_("days to close"), null=True, blank=True)
    on_time = models.BooleanField(_("closed on time"), null=True, blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["unit", "item_key", "state"], name="problem_repeat"),
            models.Index(fields=["center", "state", "deadline"], name="problem_due"),
            models.Index(fields=["center", "created_at"], name="problem_center_time"),
            models.Index(fields=["center", "raised_on"], name="problem_raised"),
            models.Index(fields=["center", "closed_on"], name="problem_closed"),
            models.Index(fields=["center", "updated_at"], name="problem_changed"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return reverse("rectification:problem", args=[self.public_id])

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of_id is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.state in OWNER_STATES
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )


# A problem in one of these states waits for its owner; past its deadline it is
# overdue. A submitted fix waits for an inspector and is not the owner's delay.


class ProblemStep(CenterModel):
    """One move of a problem through its workflow, shown as its history."""

    class Kind(models.TextChoices):
        STARTED = "started", _("work started")
        SUBMITTED = "submitted", _("fix submitted")
        RETURNED = "returned", _("returned")
        VERIFIED = "verified", _("verified and closed")
        DEADLINE = "deadline", _("deadline changed")

    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("problem"),
    )
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    cause = models.TextField(_("cause"), blank=True)
    action = models.TextField(_("what was done"), blank=True)
    note = models.TextField(_("note"), blank=True)
    photos = models.ManyToManyField(
        "core.Photo", blank=True, related_name="+", verbose_name=_("fix photos")
    )

    objects = ProblemStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem step")
        verbose_name_plural = _("problem steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.problem} · {self.get_kind_display()}"


class Reminder(models.Model):
    """A reminder already sent for a problem, so the job never sends it twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("deadline near")
        OVERDUE = "overdue", _("overdue")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "kind", "deadline"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem} · {self.kind} · {self.deadline}"


class Improvement(CenterModel):
    """A PDCAA cycle: 策划 plan, 执行 do, 审核 audit, 改善 improve, 标准 standardize."""

    class Stage(models.TextChoices):
        PLAN = "plan", _("plan")
        DO = "do", _("do")
        AUDIT = "audit", _("audit")
        IMPROVE = "improve", _("improve")
        STANDARDIZE = "standardize", _("standardize")
        DONE = "done", _("done")

    title = models.CharField(_("title"), max_length=120)
    goal = models.TextField(_("goal"))
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.PLAN
    )
    item_key = models.UUIDField(_("checklist item key"), null=True, blank=True)
    standard = models.ForeignKey(
        "standards.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvements",
        verbose_name=_("standard"),
    )
    problems = models.ManyToManyField(
        Problem, blank=True, related_name="improvements", verbose_name=_("problems")
    )
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    plan = models.TextField(_("plan"), blank=True)
    do_summary = models.TextField(_("what was done"), blank=True)
    audit_result = models.TextField(_("audit result"), blank=True)
    # The record the audit rests on, kept by its source's name and public id
    # (a final follow-up inspection): the sources plug in, the engine names none.
    audit_source = models.CharField(_("follow-up source"), max_length=20, blank=True)
    audit_ref = models.UUIDField(_("follow-up record"), null=True, blank=True)
    improve_notes = models.TextField(_("improvements"), blank=True)
    version = models.OneToOneField(
        "standards.StandardVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement",
        verbose_name=_("standard version"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImprovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rectification:improvement", args=[self.public_id])


class ImprovementTask(CenterModel):
    """A measure of the plan, with its owner and due date, done with evidence."""

    improvement = models.ForeignKey(
        Improvement, on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("measure"), max_length=200)
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due"))
    evidence = models.TextField(_("evidence"), blank=True)
    photos = models.ManyToManyField("core.Photo", blank=True, related_name="+")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects = ImprovementTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title


class Practice(CenterModel):
    """A good practice of one window, spread to the others (以点带面)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for review")
        PUBLISHED = "published", _("published")
        DECLINED = "declined", _("declined")

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("window")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    photos = models.ManyToManyField(
        "core.Photo", blank=True, related_name="+", verbose_name=_("photos")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("review note"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    standard = models.ForeignKey(
        "standards.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("promoted into"),
    )

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rectification:practice", args=[self.public_id])


class Adoption(CenterModel):
    """A window that took up a published practice."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="adoptions"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("window")
    )
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "unit"], name="adopt_once")
        ]
