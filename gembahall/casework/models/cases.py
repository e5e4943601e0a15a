"""Cases (办件): one application handled at a window, with its promised deadline."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import CenterModel

from ..querysets import CaseQuerySet


class Case(CenterModel):
    """One application handled at a window, from acceptance to its outcome."""

    class Outcome(models.TextChoices):
        OPEN = "", _("in progress")
        COMPLETED = "completed", _("completed (办结)")
        CORRECTION = "correction", _("materials requested (补正)")
        RETURNED = "returned", _("returned (退件)")
        REJECTED = "rejected", _("not accepted (不予受理)")

    source = models.ForeignKey(
        "casework.Source",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("source"),
    )
    case_no = models.CharField(_("case number"), max_length=40)
    item_name = models.CharField(_("service item as named"), max_length=120)
    service_item = models.ForeignKey(
        "casework.ServiceItem",
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
        _("outcome"),
        max_length=12,
        choices=Outcome.choices,
        default=Outcome.OPEN,
        blank=True,
    )
    ticket = models.ForeignKey(
        "casework.Ticket",
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

    objects = CaseQuerySet.as_manager()

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
