from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from people.models import BelongsToPartnership

# What each word means, once. Every report, page and service asks the QuerySet (or these Q's inside
# an aggregate) rather than listing statuses again.
QUEUE_ORDER = ("waitlisted_at", "pk")  # the waiting list: first come, first served; the id breaks a tie
LIVE = ("pending_approval", "confirmed", "waitlisted")  # not over: the person still has or wants a place
HOLDING = ("pending_approval", "confirmed")  # holding a place (with an open waiting-list offer: open_offer_q)
WAITING = ("waitlisted",)  # on the waiting list, offered a place or not
OUTCOMES = ("attended", "partial", "no_show")  # what the closed register settled
CAME = ("attended", "partial")  # outcomes of someone who took part
ON_REGISTER = ("confirmed", *OUTCOMES)  # a row on the register: a place the day came for
TAKEN = (*ON_REGISTER, "late_cancelled")  # a place used up: what a session's fill rate counts
ENDED = ("cancelled", "late_cancelled")


def open_offer_q(now=None) -> Q:
    """Waiting-list bookings offered a place that is still theirs to accept."""
    return Q(status="waitlisted", offer_expires_at__gt=now or Now())


def holding_q(now=None) -> Q:
    """Bookings holding a place: confirmed, awaiting approval, or with an open waiting-list offer."""
    return Q(status__in=HOLDING) | open_offer_q(now)


def live_q() -> Q:
    return Q(status__in=LIVE)


def waiting_q() -> Q:
    return Q(status__in=WAITING)


def taken_q() -> Q:
    """Places used up, for fill rates: on the register, or given up too late for anyone else to take."""
    return Q(status__in=TAKEN)


def status_q(status: str) -> Q:
    """One status, for a count inside an aggregate (`Count("pk", filter=status_q(...))`)."""
    return Q(status=status)


class BookingQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live_q())

    def holding_a_place(self, now=None):
        """Confirmed, waiting for approval, or holding an open waiting-list offer."""
        return self.filter(holding_q(now or timezone.now()))

    def waiting(self):
        """On the waiting list (with or without an open offer)."""
        return self.filter(waiting_q())

    waitlisted = waiting

    def taken(self):
        """Places used up: what a fill rate counts (see TAKEN)."""
        return self.filter(taken_q())

    def on_register(self):
        """Confirmed places and the outcomes the register settled."""
        return self.filter(status__in=ON_REGISTER)

    def confirmed(self):
        return self.filter(status="confirmed")

    def settled(self):
        """Attended, partly attended or did not attend: the closed register's outcomes."""
        return self.filter(status__in=OUTCOMES)

    def came(self):
        """Attended in full or in part."""
        return self.filter(status__in=CAME)

    def no_shows(self):
        return self.filter(status="no_show")


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

    LIVE, HOLDING, WAITING, OUTCOMES, CAME, ON_REGISTER, TAKEN, ENDED = (
        LIVE, HOLDING, WAITING, OUTCOMES, CAME, ON_REGISTER, TAKEN, ENDED)

    # Each is looked up through the first column of an index below, not an index of its own.
    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT, related_name="bookings",
                                db_index=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings",
                               db_index=False)
    status = models.CharField(max_length=20, choices=Status.choices)
    booked_at = models.DateTimeField(default=timezone.now)
    # Place in the waiting-list queue: first come, first served.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    # An open waiting-list offer (inside the notice period): the place is held until then.
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    line_manager_email = models.EmailField(blank=True)
    adjustments = models.TextField(
        blank=True,
        help_text="What the person asked for to take part (access needs). Seen by the trainers and the business "
        "unit only; erased once the session is over or the booking ends (people.privacy.erase_adjustments).",
    )
    approval_expires_at = models.DateTimeField(null=True, blank=True)
    approval_decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    end_reason = models.CharField(max_length=200, blank=True)
    handed_over_to = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="handed_over_from")
    # Rises with every invite sent for this booking (iCalendar SEQUENCE); the UID never changes.
    invite_sequence = models.PositiveIntegerField(default=0)
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
                        "pending_approval", "confirmed", "waitlisted", "cancelled",
                        "late_cancelled", "attended", "partial", "no_show",
                    ]
                ),
                name="bookings_booking_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="bookings_session_status_idx"),
            # a person's bookings, and their no-shows when they book (bookings.under_lock.count_facts)
            models.Index(fields=["person", "status"], name="bookings_person_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.session_id} ({self.status})"

    @property
    def invite_uid(self) -> str:
        return f"booking-{self.pk}@training-hub"

    @property
    def invite_emailed(self) -> bool:
        """Whether a calendar invite for this booking has gone by email (each one takes the next SEQUENCE):
        never for someone who chose their calendar feed only before it was booked. Pages and emails say
        "we have emailed you a calendar invite" only when this is true."""
        return self.invite_sequence > 0

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    @property
    def has_open_offer(self) -> bool:
        return self.status == self.Status.WAITLISTED and self.offer_expires_at is not None and (
            self.offer_expires_at > timezone.now())


class SentReminder(models.Model):
    """A reminder that went out: one row per booking and kind, so none is sent twice."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booking", "kind"], name="bookings_sentreminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} for booking {self.booking_id}"


class SessionMessage(models.Model):
    """A message the business unit sent to everyone booked on a session (each copy is in the outbox)."""

    session = models.ForeignKey("courses.Session", on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(max_length=150)
    body = models.TextField()
    to_waiting_list = models.BooleanField(default=False)
    recipients = models.PositiveIntegerField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.recipients} people)"


class BookingSettings(BelongsToPartnership, models.Model):
    """Times the business unit sets: reminders, joining instructions, approval holds, offers."""

    partnership = models.OneToOneField("people.Partnership", on_delete=models.PROTECT, related_name="booking_settings")
    reminder_days_before = models.PositiveSmallIntegerField(default=14)
    joining_instructions_days_before = models.PositiveSmallIntegerField(default=5)
    approval_hold_hours = models.PositiveSmallIntegerField(
        default=72, help_text="How long a place waits for the line manager before going to the waiting list")
    offer_hours = models.PositiveSmallIntegerField(
        default=24, help_text="How long a waiting-list offer inside the notice period stays open")

    class Meta:
        verbose_name_plural = "booking settings"

    def __str__(self) -> str:
        return "Booking settings"
