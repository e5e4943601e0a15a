"""Problems found in the hall, whatever found them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gembahall.core.models import CenterModel
from gembahall.org.scope import scope_q


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, person):
        q = scope_q(person, "unit_id")
        return self.none() if q is None else self.filter(q | models.Q(owner=person))

    def not_closed(self):
        return self.exclude(state=Problem.State.CLOSED)


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

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("unit"),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.OPEN
    )
    severity = models.CharField(_("severity"), max_length=8)
    description = models.TextField(_("description"))
    standard = models.ForeignKey(
        "standards.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("standard"),
    )
    item_result = models.OneToOneField(
        "inspections.ItemResult",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problem",
        verbose_name=_("inspection item"),
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
    photos = models.ManyToManyField(
        "core.Photo", blank=True, related_name="+", verbose_name=_("evidence photos")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["unit", "item_key", "state"], name="problem_repeat")
        ]

    def __str__(self) -> str:
        return self.description[:60]
