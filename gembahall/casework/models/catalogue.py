"""The service catalogue: items, their one-time notices and first-inquiry records."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import CenterModel
from gembahall.core.text import local_day

from ..querysets import FirstInquiryQuerySet, NoticeQuerySet, ServiceItemQuerySet


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
    # The province's catalogue identifies an item by its code; items a center
    # adds by hand have none.
    code = models.CharField(_("item code (事项编码)"), max_length=40, blank=True)
    implementation_code = models.CharField(
        _("implementation code (实施编码)"), max_length=60, blank=True
    )
    category = models.CharField(_("item type (事项类型)"), max_length=30, blank=True)
    visits = models.PositiveSmallIntegerField(
        _("visits to the hall (到办事现场次数)"), null=True, blank=True
    )
    fee = models.BooleanField(_("charged (收费)"), default=False)
    online_depth = models.CharField(
        _("online handling (网上办理深度)"), max_length=30, blank=True
    )
    # An item the catalogue no longer lists ends: old cases keep it, pickers
    # leave it out.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "department", "name"], name="service_item_unique"
            ),
            models.UniqueConstraint(
                fields=["center", "code"],
                condition=~models.Q(code=""),
                name="service_item_code_unique",
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


class Notice(CenterModel):
    """A one-time notice (一次性告知书) given for a case: the materials missing."""

    case = models.ForeignKey(
        "casework.Case",
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

    objects = NoticeQuerySet.as_manager()

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

    objects = FirstInquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("first inquiry")
        verbose_name_plural = _("first inquiries")
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return self.question[:40]
