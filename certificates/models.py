import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from people.models import BelongsToPartnership

ANSWER_MAX = 10_000  # characters in an evaluation's answers, stated on the form
REASON_MAX = 1_000


class EvaluationSettings(BelongsToPartnership, models.Model):
    """The business unit's choices for evaluation and follow-up, one row per partnership: a session follows its
    delivering partnership's (its course's)."""

    partnership = models.OneToOneField("people.Partnership", on_delete=models.PROTECT,
                                       related_name="evaluation_settings")

    partial_may_evaluate = models.BooleanField(default=True, help_text="People who partly attended are asked too")
    follow_up_months = models.PositiveSmallIntegerField(default=3)
    refresher_notice_days = models.PositiveSmallIntegerField(default=60)
    evaluate_within_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days after the register closes that people have to evaluate; the evaluation email "
                              "gives the date, and agency managers see an evaluation as overdue only after it")

    class Meta:
        verbose_name_plural = "evaluation settings"

    def __str__(self) -> str:
        return "Evaluation settings"


class Evaluation(models.Model):
    """Confidence before and after, what the person learnt, and their impact statement."""

    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, related_name="evaluation")
    confidence_before = models.PositiveSmallIntegerField()
    confidence_after = models.PositiveSmallIntegerField()
    learning = models.TextField(max_length=ANSWER_MAX)
    impact_statement = models.TextField(max_length=ANSWER_MAX)
    submitted_at = models.DateTimeField(default=timezone.now)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    follow_up_answer = models.TextField(blank=True, max_length=ANSWER_MAX)
    follow_up_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(confidence_before__gte=1, confidence_before__lte=5),
                                   name="certificates_evaluation_before_1_to_5"),
            models.CheckConstraint(condition=Q(confidence_after__gte=1, confidence_after__lte=5),
                                   name="certificates_evaluation_after_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Evaluation of booking {self.booking_id}"


def new_code() -> str:
    return secrets.token_hex(8).upper()  # 64 random bits: unguessable, easy to read out


def hours_text(minutes: int) -> str:
    """Learning time in hours as every page, download and certificate prints it: 6.5, 7, 3.25."""
    return f"{minutes / 60:g}"


class Certificate(models.Model):
    booking = models.OneToOneField("bookings.Booking", on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    issued_at = models.DateTimeField(default=timezone.now)
    learning_minutes = models.PositiveIntegerField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True, max_length=REASON_MAX)
    reminded_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("certificate_verify", args=[self.code])

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def learning_hours(self) -> str:
        """The hours as the certificate and its check page both print them: 6.5, 7, 6.25."""
        return hours_text(self.learning_minutes)
