from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from lib.dates import to_london
from people.models import BelongsToPartnership

TITLE_MAX = 200
THEME_MAX = 80
SUMMARY_MAX = 2_000  # a course's summary and its learning outcomes, each


class Course(BelongsToPartnership, models.Model):
    class Level(models.TextChoices):
        BASIC = "basic", "Basic"
        INTERMEDIATE = "intermediate", "Intermediate"
        MASTERCLASS = "masterclass", "Masterclass"

    # The delivering partnership: its business unit runs the course's sessions, its finance charges them.
    partnership = models.ForeignKey("people.Partnership", on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(max_length=TITLE_MAX)  # one course of that title per partnership
    level = models.CharField(max_length=16, choices=Level.choices)
    theme = models.CharField(max_length=THEME_MAX, help_text="e.g. Neglect, Exploitation, Domestic abuse")
    summary = models.TextField(max_length=SUMMARY_MAX)
    learning_outcomes = models.TextField(blank=True, max_length=SUMMARY_MAX, help_text="One outcome a line")
    duration_minutes = models.PositiveIntegerField(help_text="Learning time in minutes")
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="leads_to")
    is_active = models.BooleanField(default=True)
    certificate_for_partial = models.BooleanField(
        default=False, help_text="Partial attendance (late or left early) still earns a certificate")
    refresh_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long the certificate stays current, e.g. 36 for Working Together L3")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["basic", "intermediate", "masterclass"]), name="courses_course_level_valid"
            ),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="courses_course_duration_positive"),
            # Two partnerships may each run "Neglect: basic"; one partnership runs one course of a title.
            models.UniqueConstraint(
                fields=["partnership", "title"], name="courses_course_title_per_partnership",
                violation_error_message="The partnership already has a course of that title: give this one another "
                                        "title, or change that course instead.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("course_detail", args=[self.pk])

    @property
    def outcomes_list(self) -> list[str]:
        return [line.strip(" -•") for line in self.learning_outcomes.splitlines() if line.strip(" -•")]


class TrainerPoolMembership(models.Model):
    """A person who may deliver a course, and the agency they deliver for."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="pool")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pool_memberships")
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="pool_memberships")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["course", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="courses_trainerpoolmembership_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.agency} on {self.course}"


class SessionQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=Session.Status.SCHEDULED)


class Session(models.Model):
    """One scheduled delivery of a course, in one or more dated parts."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        BLENDED = "blended", "Blended"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    class OpenTo(models.TextChoices):
        PARTNERSHIP = "partnership", "People of the delivering partnership"
        NETWORK = "network", "Everyone in the network"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True, max_length=500)
    capacity = models.PositiveIntegerField()
    waiting_list = models.BooleanField(default=True, help_text="When full, people may join a waiting list")
    booking_opens_at = models.DateTimeField(default=timezone.now)
    booking_closes_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # Who may book: the delivering partnership's people (the course's partnership), or the whole network.
    open_to = models.CharField(max_length=16, choices=OpenTo.choices, default=OpenTo.PARTNERSHIP)
    # Places kept for partnerships (SessionReservation) until this time (empty: the booking close); after it,
    # unused reserved places join the general pool.
    reserved_until = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    # Kept by the services from the parts: the first start and the last end.
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    # Rises with every change people booked must hear about (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="courses_session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(format__in=["in_person", "online", "blended"]), name="courses_session_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "cancelled"]), name="courses_session_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(open_to__in=["partnership", "network"]), name="courses_session_open_to_valid"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="courses_session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=F("booking_opens_at")), name="courses_session_window_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title}, {to_london(self.starts_at):%-d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("session_detail", args=[self.pk])

    @property
    def total_minutes(self) -> int:
        return sum(int((p.ends_at - p.starts_at).total_seconds() // 60) for p in self.parts.all())

    @property
    def days(self) -> str:
        """Every day the session meets, in London: "12 October 2026, 19 October 2026"."""

        return ", ".join(f"{to_london(p.starts_at):%-d %B %Y}" for p in self.parts.all())


class SessionReservation(models.Model):
    """Places of a session kept for one partnership's people until the session's reserved_until."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reservations")
    partnership = models.ForeignKey("people.Partnership", on_delete=models.CASCADE, related_name="+")
    places = models.PositiveIntegerField()

    class Meta:
        ordering = ["partnership_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "partnership"], name="courses_reservation_unique"),
            models.CheckConstraint(condition=Q(places__gte=1), name="courses_reservation_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.places} places for {self.partnership_id}"


class SessionPart(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="parts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="courses_sessionpart_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at} – {self.ends_at}"


class TrainerAllocation(models.Model):
    """A trainer from the course's pool delivering a session, for the pool's agency."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="allocations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="allocations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="courses_trainerallocation_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.session_id}"
