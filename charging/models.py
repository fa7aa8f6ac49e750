from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ChargingPolicy(models.Model):
    """The partnership's charging policy: one row, set by the business unit.

    Defaults from what partnerships use: 5 working days' notice; £25 for a session of up to
    4 hours in total, £50 for a longer one (whole pence).
    """

    notice_working_days = models.PositiveSmallIntegerField(default=5)
    short_session_minutes = models.PositiveIntegerField(default=240)
    short_session_amount = models.PositiveIntegerField(default=2500, help_text="pence")
    long_session_amount = models.PositiveIntegerField(default=5000, help_text="pence")
    currency = models.CharField(max_length=3, default="gbp")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name_plural = "charging policy"
        constraints = [
            models.CheckConstraint(condition=Q(short_session_amount__gte=0), name="charging_policy_short_amount_ok"),
            models.CheckConstraint(condition=Q(long_session_amount__gte=0), name="charging_policy_long_amount_ok"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_working_days} working days' notice"
