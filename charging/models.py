from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from people.models import BelongsToPartnership

DEFAULT_WAIVER_REASONS = [
    "Sickness, on the line manager's written request",
    "Bereavement or family emergency",
    "Operational emergency",
    "Session problem (venue, link or trainer)",
    "Booking error",
]


def default_waiver_reasons() -> list[str]:
    return list(DEFAULT_WAIVER_REASONS)


class ChargingPolicy(BelongsToPartnership, models.Model):
    """The partnership's charging policy: one row, set by the business unit.

    Defaults from what partnerships use: 5 working days' notice; £25 for a session of up to
    4 hours in total, £50 for a longer one (whole pence); the employing agency pays.
    """

    # Each partnership charges under its own policy: the delivering partnership's applies.
    partnership = models.OneToOneField("people.Partnership", on_delete=models.PROTECT, related_name="charging_policy")
    notice_working_days = models.PositiveSmallIntegerField(default=5)
    short_session_minutes = models.PositiveIntegerField(default=240)
    short_session_amount = models.PositiveIntegerField(default=2500, help_text="pence")
    long_session_amount = models.PositiveIntegerField(default=5000, help_text="pence")
    currency = models.CharField(max_length=3, default="gbp")
    exempt_agencies = models.ManyToManyField("people.Agency", blank=True, related_name="+",
                                             help_text="Never charged, e.g. the voluntary sector")
    waiver_reasons = models.JSONField(default=default_waiver_reasons)
    repeat_no_shows = models.PositiveSmallIntegerField(
        default=2, help_text="No-shows within the window after which bookings need the agency manager's approval")
    repeat_window_months = models.PositiveSmallIntegerField(default=12)
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


class Invoice(BelongsToPartnership, models.Model):
    """One Stripe invoice for an agency's approved charges raised by one partnership."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being created"
        OPEN = "open", "Sent, awaiting payment"
        PAID = "paid", "Paid"
        PAYMENT_FAILED = "payment_failed", "Payment failed"
        VOID = "void", "Void"

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="invoices")
    # The partnership that raises the invoice (the sessions' delivering partnership).
    partnership = models.ForeignKey("people.Partnership", on_delete=models.PROTECT, related_name="invoices")
    stripe_invoice_id = models.CharField(max_length=100, blank=True, db_index=True)
    total_pence = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="gbp")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invoice {self.pk} to {self.agency}"


class Charge(BelongsToPartnership, models.Model):
    """Owed by the person's agency for a no-show or a late cancellation; raised once per booking."""

    class Reason(models.TextChoices):
        NO_SHOW = "no_show", "Did not attend"
        LATE_CANCELLATION = "late_cancellation", "Cancelled late"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for finance"
        WAIVED = "waived", "Waived"
        APPROVED = "approved", "Approved, to invoice"
        INVOICED = "invoiced", "Invoiced"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    booking = models.OneToOneField("bookings.Booking", on_delete=models.PROTECT, related_name="charge")
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="charges")
    # The delivering partnership (the session's course's): its policy set the amount, its finance decides and
    # invoices the charge. Kept on the charge, as raised, so the invoice and the lists never join for it.
    partnership = models.ForeignKey("people.Partnership", on_delete=models.PROTECT, related_name="charges")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    amount_pence = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="gbp")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="charges")
    stripe_invoice_item_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gte=0), name="charging_charge_amount_not_negative"),
            models.CheckConstraint(condition=Q(reason__in=["no_show", "late_cancellation"]),
                                   name="charging_charge_reason_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "waived", "approved", "invoiced", "paid", "void"]),
                name="charging_charge_status_valid"),
        ]

    # Not yet invoiced: finance can still waive it, and a corrected mark can still void it.
    OPEN = (Status.PENDING, Status.APPROVED)

    def __str__(self) -> str:
        return f"{self.get_reason_display()} charge {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ChargeDecision(models.Model):
    """The audit trail: every change to a charge, with who, when and why."""

    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} on charge {self.charge_id}"


class PolicyChange(BelongsToPartnership, models.Model):
    """The audit trail of the charging policy (each partnership's own)."""

    partnership = models.ForeignKey("people.Partnership", on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Policy change at {self.at}"


class StripeEvent(models.Model):
    """Each webhook event handled once, however often Stripe sends it."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.event_id
