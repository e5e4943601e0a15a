"""Stored rollups of tickets and cases, kept by `casework.rollups`."""

from django.db import models

from ..querysets import StatQuerySet


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

    objects = StatQuerySet.as_manager()

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

    objects = StatQuerySet.as_manager()

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

    objects = StatQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "department_id", "item_key"],
                name="case_stat_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.item_key}"
