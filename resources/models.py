from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from people.models import BelongsToPartnership

# What people may type, stated on each form (GOV.UK character count) and refused past it with a message.
DESCRIPTION_MAX = 2_000
REFLECTION_MAX = 5_000
NOTE_MAX = 2_000
BRIEFING_MAX = 20_000


class Resource(BelongsToPartnership, models.Model):
    """A multi-agency digital learning resource (SWAY, 7-minute guide, video, document)."""

    class Kind(models.TextChoices):
        SWAY = "sway", "SWAY presentation"
        SEVEN_MINUTE_GUIDE = "seven_minute_guide", "7-minute guide"
        VIDEO = "video", "Video"
        DOCUMENT = "document", "Document"

    partnership = models.ForeignKey("people.Partnership", on_delete=models.PROTECT, related_name="resources")
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(max_length=500)
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX)
    level = models.CharField(max_length=16, blank=True, choices=[("", "Any level"), *[
        ("basic", "Basic"), ("intermediate", "Intermediate"), ("masterclass", "Masterclass")]])
    owner_agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="owned_resources")
    created_by_agencies = models.ManyToManyField("people.Agency", blank=True, related_name="created_resources")
    published_on = models.DateField(default=timezone.localdate)
    review_on = models.DateField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["sway", "seven_minute_guide", "video", "document"]),
                                   name="resources_resource_kind_valid"),
            models.CheckConstraint(condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                                   name="resources_resource_web_address"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resource_detail", args=[self.pk])

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class Opening(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="openings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="openings")
    agency = models.ForeignKey("people.Agency", null=True, on_delete=models.SET_NULL, related_name="openings")
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.person_id} opened {self.resource_id}"


class WorkedThrough(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="worked_through")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worked_through")
    agency = models.ForeignKey("people.Agency", null=True, on_delete=models.SET_NULL, related_name="+")
    reflection = models.TextField(blank=True, max_length=REFLECTION_MAX)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "person"], name="resources_workedthrough_once")]

    def __str__(self) -> str:
        return f"{self.person_id} worked through {self.resource_id}"


class Dissemination(models.Model):
    """How an agency used a resource: a team meeting, a single-agency course ..."""

    class Format(models.TextChoices):
        TEAM_MEETING = "team_meeting", "Team meeting"
        SINGLE_AGENCY_COURSE = "single_agency_course", "Single-agency course"
        BRIEFING_EMAIL = "briefing_email", "Briefing email"
        SUPERVISION = "supervision", "Supervision"
        OTHER = "other", "Other"

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="disseminations")
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="disseminations")
    date = models.DateField()
    format = models.CharField(max_length=30, choices=Format.choices, default=Format.TEAM_MEETING)
    staff_briefed = models.PositiveIntegerField()
    note = models.TextField(blank=True, max_length=NOTE_MAX)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(staff_briefed__gte=1) & Q(staff_briefed__lte=100000),
                                   name="resources_dissemination_staff_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} briefed {self.staff_briefed} on {self.resource_id}"


class Briefing(BelongsToPartnership, models.Model):
    """A partnership briefing: text plus chosen upcoming sessions and resources, emailed to those opted in."""

    partnership = models.ForeignKey("people.Partnership", on_delete=models.PROTECT, related_name="briefings")
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=BRIEFING_MAX)
    sessions = models.ManyToManyField("courses.Session", blank=True, related_name="+")
    resources = models.ManyToManyField(Resource, blank=True, related_name="briefings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("briefing_detail", args=[self.pk])
