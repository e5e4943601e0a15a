"""Agent requests (帮办代办) and their steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gembahall.core.crypto import EncryptedCharField
from gembahall.core.models import CenterModel
from gembahall.core.text import mask_phone

from ..querysets import AgentRequestQuerySet, AgentStepQuerySet


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
    # Stored encrypted (gembahall.core.crypto); shown masked, revealed on purpose.
    phone = EncryptedCharField(_("phone"), blank=True)
    service_item = models.ForeignKey(
        "casework.ServiceItem",
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

    objects = AgentRequestQuerySet.as_manager()

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

    objects = AgentStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("agent-service milestone")
        verbose_name_plural = _("agent-service milestones")
        ordering = ["at", "pk"]
