"""The windows' real service: the catalogue of service items (事项), queue
tickets (取号), cases (办件), one-time notices, first inquiries and agent
service — and the rollup tables the KPIs read."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import CenterModel
from gembahall.core.text import local_day, mask_phone


class ServiceItem(CenterModel):
    """One service a department offers at the windows, with its time limits."""

    class Handling(models.TextChoices):
        IMMEDIATE = "immediate", _("immediate (即办件)")
        PROMISED = "promised", _("promised (承诺件)")
        JOINT = "joint", _("joint (联办件)")
        FORWARDED = "forwarded", _("forwarded (上报件)")

    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="service_items",
        verbose_name=_("department"),
    )
    name = models.CharField(_("name"), max_length=120)
    handling = models.CharField(
        _("handling type"), max_length=10, choices=Handling.choices
    )
    statutory_days = models.PositiveSmallIntegerField(
        _("statutory limit (working days)"), default=0
    )
    promised_days = models.PositiveSmallIntegerField(
        _("promised limit (working days)"), default=0
    )
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    joint_departments = models.ManyToManyField(
        "org.Department",
        blank=True,
        related_name="joint_items",
        verbose_name=_("joint departments"),
    )
    agent_service = models.BooleanField(
        _("agent service (代办) offered"), default=False
    )
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "department", "name"], name="service_item_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days"))
                | models.Q(statutory_days=0),
                name="service_item_promise_within_statute",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("casework:item", args=[self.public_id])


class Source(CenterModel):
    """A queue-and-call or case system a center takes records from, with the
    column mapping its exports need (the import profile)."""

    class Kind(models.TextChoices):
        TICKETS = "tickets", _("queue tickets")
        CASES = "cases", _("cases")

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("records"), max_length=10, choices=Kind.choices)
    columns = models.JSONField(
        _("column mapping"),
        default=dict,
        blank=True,
        help_text=_("Field → header in the export, where automatic matching misses."),
    )
    statuses = models.JSONField(
        _("status words"),
        default=dict,
        blank=True,
        help_text=_("Word in the export → status, beyond the common ones."),
    )

    class Meta:
        verbose_name = _("source system")
        verbose_name_plural = _("source systems")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "kind", "name"], name="source_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Ticket(CenterModel):
    """One queue ticket, from taking the number to the end of service. The key
    is center + source + ticket number + local day taken."""

    class Status(models.TextChoices):
        WAITING = "", _("not finished")
        SERVED = "served", _("served")
        NO_SHOW = "no_show", _("no-show")
        RETURNED = "returned", _("returned")
        TRANSFERRED = "transferred", _("transferred")

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    ticket_no = models.CharField(_("ticket number"), max_length=30)
    day = models.DateField(_("day taken"))
    business = models.CharField(_("business type"), max_length=120, blank=True)
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service item"),
    )
    window = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    staff = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )
    staff_no = models.CharField(_("staff number"), max_length=30, blank=True)
    taken_at = models.DateTimeField(_("taken at"))
    called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default="", blank=True
    )

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["-taken_at"]
        # Keyed by number first: a rating's ticket is found by center and
        # number alone, whichever system issued it.
        constraints = [
            models.UniqueConstraint(
                fields=["center", "ticket_no", "day", "source"], name="ticket_key"
            )
        ]
        indexes = [models.Index(fields=["center", "day"], name="ticket_center_day")]

    def __str__(self) -> str:
        return f"{self.ticket_no} {self.day}"


class Case(CenterModel):
    """One application handled at a window, from acceptance to its outcome."""

    class Outcome(models.TextChoices):
        OPEN = "", _("in progress")
        COMPLETED = "completed", _("completed (办结)")
        CORRECTION = "correction", _("materials requested (补正)")
        RETURNED = "returned", _("returned (退件)")
        REJECTED = "rejected", _("not accepted (不予受理)")

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    case_no = models.CharField(_("case number"), max_length=40)
    item_name = models.CharField(_("service item as named"), max_length=120)
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("service item"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    window = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    accepted_at = models.DateTimeField(_("accepted at"))
    accepted_on = models.DateField(_("day accepted"))
    promised_days = models.PositiveSmallIntegerField(
        _("promised limit (working days)"), default=0
    )
    deadline = models.DateField(_("deadline"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default="", blank=True
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("ticket"),
    )
    agent = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent (代办员)"),
    )
    notices = models.PositiveSmallIntegerField(
        _("materials requests (补正) issued"), default=0
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "case_no", "source"], name="case_key"
            )
        ]
        indexes = [
            models.Index(fields=["center", "accepted_on"], name="case_center_day"),
            models.Index(
                fields=["center", "deadline"],
                condition=models.Q(completed_at__isnull=True),
                name="case_open_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.case_no


class Notice(CenterModel):
    """A one-time notice (一次性告知书) given for a case: the materials missing."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="notice_set",
        verbose_name=_("case"),
    )
    issued_at = models.DateTimeField(_("issued at"))
    materials = models.TextField(_("materials missing"))
    issued_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("one-time notice")
        verbose_name_plural = _("one-time notices")
        ordering = ["issued_at"]

    def __str__(self) -> str:
        return f"{self.case} {local_day(self.issued_at)}"


class FirstInquiry(CenterModel):
    """首问负责制: who asked what, who answered, and how it ended."""

    class Ending(models.TextChoices):
        ANSWERED = "answered", _("answered")
        ESCORTED = "escorted", _("escorted to a window")
        REFERRED = "referred", _("referred elsewhere")

    asked_at = models.DateTimeField(_("asked at"))
    question = models.CharField(_("question"), max_length=300)
    answered_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
    )
    ending = models.CharField(_("ending"), max_length=10, choices=Ending.choices)
    window = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escorted to"),
    )

    class Meta:
        verbose_name = _("first inquiry")
        verbose_name_plural = _("first inquiries")
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return self.question[:40]


class AgentRequest(CenterModel):
    """帮办代办: a citizen or a company asks the center's agents to carry a
    service item through for them; each milestone is kept with who and when."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        MATERIALS = "materials", _("materials collected")
        SUBMITTED = "submitted", _("submitted for approval")
        COMPLETED = "completed", _("completed")
        DELIVERED = "delivered", _("delivered to the applicant")
        CANCELLED = "cancelled", _("cancelled")

    # The milestones in order; a request moves one step at a time.
    STEPS = ("requested", "materials", "submitted", "completed", "delivered")

    applicant = models.CharField(_("applicant"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        related_name="agent_requests",
        verbose_name=_("service item"),
    )
    agent = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent (代办员)"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    note = models.CharField(_("what is needed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agent-service request")
        verbose_name_plural = _("agent-service requests")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["center", "state"], name="agent_center_state"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.service_item.name}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def next_state(self) -> str | None:
        if self.state not in self.STEPS or self.state == self.STEPS[-1]:
            return None
        return self.STEPS[self.STEPS.index(self.state) + 1]

    @property
    def next_label(self) -> str:
        return self.State(self.next_state).label if self.next_state else ""


class AgentStep(CenterModel):
    """One milestone of an agent-service request."""

    request = models.ForeignKey(
        AgentRequest,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("request"),
    )
    state = models.CharField(
        _("milestone"), max_length=10, choices=AgentRequest.State.choices
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agent-service milestone")
        verbose_name_plural = _("agent-service milestones")
        ordering = ["at", "pk"]


class ApiToken(CenterModel):
    """A per-center key for queue systems and rating pads; only its SHA-256
    is stored, the key itself is shown once."""

    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="tokens",
        verbose_name=_("source system"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TicketEvent(models.Model):
    """One event pushed by a queue system, kept once by its event id."""

    class Kind(models.TextChoices):
        TAKEN = "taken", _("taken")
        CALLED = "called", _("called")
        STARTED = "started", _("started")
        FINISHED = "finished", _("finished")

    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    event_id = models.CharField(_("event id"), max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("time"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_id"], name="ticket_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


# ── Rollups: kept up to date by imports and events, read by every KPI page ──


class DayStat(models.Model):
    """Ticket counters of one local day for one member of a dimension, with
    the histogram of whole minutes waited. Dimensions: c the center, d a
    department, w a window (parent: its department), s a staff member,
    sw a staff member at a window (parent: the window), i a business."""

    center = models.ForeignKey("org.Center", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    dim = models.CharField(max_length=2)
    key = models.CharField(max_length=130)
    # A number (0: none) so the unique key holds no NULL.
    parent = models.BigIntegerField(default=0)
    taken = models.IntegerField(default=0)
    served = models.IntegerField(default=0)
    no_show = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    transferred = models.IntegerField(default=0)
    waited = models.IntegerField(default=0)
    wait_sum = models.BigIntegerField(default=0)
    handled = models.IntegerField(default=0)
    handle_sum = models.BigIntegerField(default=0)
    # Counts by whole minutes waited: unsigned 32-bit integers, minute 0 first.
    minutes = models.BinaryField(default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "dim", "key", "parent"], name="day_stat_key"
            )
        ]
        indexes = [
            models.Index(fields=["center", "dim", "day"], name="day_stat_dim_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dim}{self.key}"


class HourStat(models.Model):
    """Tickets taken and waiting per local day and hour, for the heatmap."""

    center = models.ForeignKey("org.Center", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hour = models.SmallIntegerField()
    taken = models.IntegerField(default=0)
    waited = models.IntegerField(default=0)
    wait_sum = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "hour"], name="hour_stat_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hour}h"


class CaseStat(models.Model):
    """Case counters per local day × department × service item. Completion
    counters sit on the day completed, notice counters on the day accepted."""

    center = models.ForeignKey("org.Center", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    department_id = models.BigIntegerField(default=0)
    item_key = models.CharField(max_length=130)
    accepted = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    same_day = models.IntegerField(default=0)
    compressible = models.IntegerField(default=0)
    actual_days = models.IntegerField(default=0)
    promised_days = models.IntegerField(default=0)
    noticed = models.IntegerField(default=0)
    notice_breached = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "department_id", "item_key"],
                name="case_stat_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.item_key}"
