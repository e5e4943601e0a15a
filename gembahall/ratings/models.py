"""Citizens' ratings of a service (好差评, GB/T 39734/39735), the follow-up
a bad one opens, and the rollup the rating KPIs read."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gembahall.core.crypto import EncryptedCharField
from gembahall.core.models import CenterModel
from gembahall.core.text import mask_phone

from .querysets import (
    AppealQuerySet,
    FollowUpQuerySet,
    RatingQuerySet,
    RatingStatQuerySet,
)

# Why a citizen was dissatisfied (GB/T 39735 groups), shown as choices.
REASONS = {
    "slow": _("waited or took too long"),
    "runaround": _("had to come back again (跑多次)"),
    "unclear": _("was not told everything needed at once"),
    "attitude": _("unfriendly or impatient staff"),
    "wrong": _("wrong or inconsistent answers"),
    "rules": _("asked for things the rules do not require"),
    "place": _("the hall or the window was untidy or unsafe"),
    "other": _("something else"),
}


class Rating(CenterModel):
    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("very satisfied (非常满意)")
        SATISFIED = 4, _("satisfied (满意)")
        FAIR = 3, _("fairly satisfied (基本满意)")
        DISSATISFIED = 2, _("dissatisfied (不满意)")
        VERY_DISSATISFIED = 1, _("very dissatisfied (非常不满意)")

    class Channel(models.TextChoices):
        WINDOW_QR = "window_qr", _("window QR code")
        TICKET_QR = "ticket_qr", _("ticket QR code")
        PAD = "pad", _("rating pad")
        SMS = "sms", _("text message")

    class Hold(models.TextChoices):
        NONE = "", _("not held")
        HELD = "held", _("held for review")
        KEPT = "kept", _("kept after review")
        DISCARDED = "discarded", _("discarded after review")

    class Cap(models.TextChoices):
        NONE = "", _("under the caps")
        WINDOW = "window", _("too many for this window in an hour")
        ADDRESS = "address", _("too many from this address in an hour")

    BAD = 2  # this level and below open a follow-up

    window = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("window")
    )
    # The window's department and the staff key when rated, for the rollup.
    department_id_at = models.BigIntegerField(default=0, editable=False)
    staff_key = models.CharField(max_length=40, blank=True, editable=False)
    staff = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )
    ticket = models.ForeignKey(
        "casework.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("ticket"),
    )
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("case"),
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    # Sub-scores are optional for the citizen; one not given stays empty
    # rather than copying the overall level, so the KPIs count only answers.
    efficiency = models.PositiveSmallIntegerField(
        _("service efficiency (服务效率)"), choices=Level.choices, null=True, blank=True
    )
    quality = models.PositiveSmallIntegerField(
        _("service level (服务水平)"), choices=Level.choices, null=True, blank=True
    )
    attitude = models.PositiveSmallIntegerField(
        _("service attitude (服务态度)"), choices=Level.choices, null=True, blank=True
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    # Stored encrypted (gembahall.core.crypto); shown masked, revealed on purpose.
    phone = EncryptedCharField(_("phone"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    external_id = models.CharField(
        _("provincial platform id"), max_length=64, blank=True
    )
    day = models.DateField(_("day"))
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    excluded_at = models.DateTimeField(_("excluded"), null=True, blank=True)
    excluded_reason = models.TextField(_("why excluded"), blank=True)
    excluded_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("excluded by"),
    )

    # A rating over a flood cap is kept (a complaint is never refused) but
    # held out of the KPIs until the OSM office keeps or discards it.
    hold = models.CharField(
        _("review"), max_length=10, choices=Hold.choices, default="", blank=True
    )
    over_cap = models.CharField(
        _("over the cap"), max_length=10, choices=Cap.choices, default="", blank=True
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=models.Q(ticket__isnull=False),
                name="one_rating_per_ticket",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(case__isnull=False),
                name="one_rating_per_case",
            ),
            models.UniqueConstraint(
                fields=["center", "external_id"],
                condition=~models.Q(external_id=""),
                name="rating_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["window", "created_at"], name="rating_window_time"),
            models.Index(fields=["ip", "created_at"], name="rating_ip_time"),
            models.Index(fields=["center", "day"], name="rating_center_day"),
            models.Index(
                fields=["center", "created_at"],
                condition=models.Q(hold="held"),
                name="rating_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.window}"

    def get_absolute_url(self) -> str:
        return reverse("ratings:detail", args=[self.public_id])

    @property
    def is_bad(self) -> bool:
        return self.level <= self.BAD

    @property
    def counts(self) -> bool:
        """Whether the rating is in the KPIs' rollup: not held, not
        discarded, not excluded."""
        held = self.hold in (self.Hold.HELD, self.Hold.DISCARDED)
        return not held and self.excluded_at is None

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class FollowUp(CenterModel):
    """What a bad rating sets off: a call back to the citizen within one
    working day, a rectification, and the appeal path."""

    class Appeal(models.TextChoices):
        NONE = "", _("no appeal")
        UPHELD = "upheld", _("found malicious: excluded")
        REJECTED = "rejected", _("appeal rejected")

    class VisitOutcome(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied with the fix")
        DISSATISFIED = "dissatisfied", _("not satisfied")
        UNREACHABLE = "unreachable", _("could not be reached")

    rating = models.OneToOneField(
        Rating, on_delete=models.CASCADE, related_name="followup"
    )
    callback_due = models.DateField(_("call back by"))
    called_back_at = models.DateTimeField(_("called back"), null=True, blank=True)
    called_back_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called back by"),
    )
    callback_note = models.TextField(_("what the citizen said"), blank=True)
    problem = models.OneToOneField(
        "rectification.Problem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating_followup",
        verbose_name=_("rectification"),
    )
    rectified_on_time = models.BooleanField(null=True)
    appeal = models.CharField(
        _("appeal"), max_length=10, choices=Appeal.choices, default="", blank=True
    )
    appeal_reason = models.TextField(_("appeal reason"), blank=True)
    # The return visit (回访): a second contact once the fix is done, apart
    # from the first call back.
    visited_at = models.DateTimeField(_("return visit"), null=True, blank=True)
    visited_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("return visit by"),
    )
    visit_outcome = models.CharField(
        _("return visit outcome"),
        max_length=12,
        choices=VisitOutcome.choices,
        blank=True,
    )
    visit_note = models.TextField(
        _("what the citizen said on the return visit"), blank=True
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("bad-rating follow-up")
        verbose_name_plural = _("bad-rating follow-ups")
        ordering = ["callback_due"]

    def __str__(self) -> str:
        return str(self.rating)

    def get_absolute_url(self) -> str:
        return reverse("ratings:detail", args=[self.rating.public_id])

    @property
    def callback_on_time(self) -> bool | None:
        """Called back by the end of the due day; None while not yet due."""
        if self.called_back_at is not None:
            return timezone.localdate(self.called_back_at) <= self.callback_due
        if timezone.localdate() > self.callback_due:
            return False
        return None


class Appeal(CenterModel):
    """A window's appeal against a bad rating of its service, with the reason
    and photos as evidence, decided by the OSM office."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the OSM office")
        UPHELD = "upheld", _("upheld: the rating is excluded")
        REJECTED = "rejected", _("rejected: the rating counts")

    rating = models.OneToOneField(
        Rating,
        on_delete=models.CASCADE,
        related_name="appeal",
        verbose_name=_("rating"),
    )
    filed_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    reason = models.TextField(_("why the rating is unfair"))
    photos = models.ManyToManyField(
        "core.Photo", blank=True, related_name="+", verbose_name=_("evidence photos")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("why so decided"), blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating appeal")
        verbose_name_plural = _("rating appeals")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["center", "state"], name="appeal_state")]

    def __str__(self) -> str:
        return str(self.rating)

    def get_absolute_url(self) -> str:
        return self.rating.get_absolute_url()


class RatingStat(models.Model):
    """Ratings per local day × window × staff, by level, with the given
    sub-scores counted and summed; excluded ratings are taken out."""

    center = models.ForeignKey("org.Center", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    window_id = models.BigIntegerField(default=0)
    department_id = models.BigIntegerField(default=0)
    staff_key = models.CharField(max_length=40)
    n = models.IntegerField(default=0)
    l1 = models.IntegerField(default=0)
    l2 = models.IntegerField(default=0)
    l3 = models.IntegerField(default=0)
    l4 = models.IntegerField(default=0)
    l5 = models.IntegerField(default=0)
    # Sub-scores: how many citizens gave each one, and the sum of the stars.
    efficiency_n = models.IntegerField(default=0)
    efficiency_sum = models.IntegerField(default=0)
    quality_n = models.IntegerField(default=0)
    quality_sum = models.IntegerField(default=0)
    attitude_n = models.IntegerField(default=0)
    attitude_sum = models.IntegerField(default=0)

    objects = RatingStatQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "window_id", "department_id", "staff_key"],
                name="rating_stat_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.window_id} {self.staff_key}"
