from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class BookingQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=Booking.LIVE)

    def holding_a_place(self):
        return self.filter(status__in=Booking.HOLDING)

    def waitlisted(self):
        return self.filter(status=Booking.Status.WAITLISTED)


class Booking(models.Model):
    """A person's place on a session, or their place in its waiting list."""

    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "Waiting for line manager approval"
        CONFIRMED = "confirmed", "Booked"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"
        LATE_CANCELLED = "late_cancelled", "Cancelled late"
        ATTENDED = "attended", "Attended"
        PARTIAL = "partial", "Partly attended"
        NO_SHOW = "no_show", "Did not attend"

    LIVE = ("pending_approval", "confirmed", "waitlisted")
    HOLDING = ("pending_approval", "confirmed")

    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=20, choices=Status.choices)
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["booked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["pending_approval", "confirmed", "waitlisted"]),
                name="bookings_booking_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "pending_approval",
                        "confirmed",
                        "waitlisted",
                        "cancelled",
                        "late_cancelled",
                        "attended",
                        "partial",
                        "no_show",
                    ]
                ),
                name="bookings_booking_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="bookings_session_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} on {self.session_id} ({self.status})"
