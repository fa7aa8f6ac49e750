from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

OUTCOMES = ("attended", "partial", "no_show")

REASON_MAX = 1_000  # characters in a correction's reason


class Register(models.Model):
    """A session's register: open while the trainer marks, locked once closed."""

    session = models.OneToOneField("courses.Session", on_delete=models.PROTECT, related_name="register")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # When the session's trainers were reminded that the register is still open (once).
    reminded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Register for session {self.session_id}"

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class Mark(models.Model):
    """A trainer's mark for one booking (the booking's status follows it when the register closes)."""

    class Outcome(models.TextChoices):
        ATTENDED = "attended", "Attended"
        PARTIAL = "partial", "Arrived late or left early"
        NO_SHOW = "no_show", "Did not attend"

    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, related_name="mark")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    walk_in = models.BooleanField(default=False)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=OUTCOMES), name="attendance_mark_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.outcome}"


class Correction(models.Model):
    """A mark the business unit changed after the register closed, with the reason kept."""

    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="corrections")
    from_outcome = models.CharField(max_length=20)
    to_outcome = models.CharField(max_length=20)
    reason = models.TextField(max_length=REASON_MAX)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-corrected_at"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_outcome} -> {self.to_outcome}"
