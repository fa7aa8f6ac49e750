"""Learning reviews, their recommendations, and the evidence that the learning reached people.

A review belongs to a partnership; every page and API call reads reviews through
`reviews.selectors.visible_reviews`, the one place that scopes them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lib.text import PlainText
from people.models import BelongsToPartnership

# The longest text each field takes, stated on its form (GOV.UK's character count) and refused past it,
# never cut short: on the pages, in the API, in the admin and in the services.
TITLE_MAX = 200
REFERENCE_MAX = 60
THEME_MAX = 80
THEMES_MAX = 20  # themes on one review
SUMMARY_MAX = 5_000
TEXT_MAX = 2_000  # a recommendation's text
REASON_MAX = 1_000  # why a recommendation was closed, reopened or changed
NOTE_MAX = 5_000  # an evidence note


class TrackerSettings(BelongsToPartnership, models.Model):
    """The business unit's choice of the reach below which a recommendation shows amber, one row per partnership:
    a recommendation follows its review's partnership's."""

    partnership = models.OneToOneField("people.Partnership", on_delete=models.PROTECT,
                                       related_name="tracker_settings")

    amber_reach_percent = models.PositiveSmallIntegerField(
        default=50, help_text="A recommendation shows amber while an owner agency with a known headcount has "
        "reached less than this share of its staff (0 to 100).")

    class Meta:
        verbose_name_plural = "learning tracker settings"
        constraints = [models.CheckConstraint(condition=Q(amber_reach_percent__lte=100),
                                              name="reviews_trackersettings_percent_at_most_100")]

    def __str__(self) -> str:
        return "Learning tracker settings"


class AgencyHeadcount(models.Model):
    """How many staff an agency expects to reach, so that reach can be a share and not only a count."""

    agency = models.OneToOneField("people.Agency", on_delete=models.CASCADE, related_name="headcount")
    headcount = models.PositiveIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1),
                                              name="reviews_agencyheadcount_positive")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.headcount} staff"


class LearningReview(BelongsToPartnership, models.Model):
    class Kind(models.TextChoices):
        CSPR = "cspr", "Child safeguarding practice review"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        LOCAL_REFLECTIVE_REVIEW = "local_reflective_review", "Local reflective review"
        LEARNING_CIRCLE = "learning_circle", "Learning circle"
        MULTI_AGENCY_AUDIT = "multi_agency_audit", "Multi-agency audit"
        NATIONAL_REVIEW = "national_review", "National panel review"

    partnership = models.ForeignKey("people.Partnership", on_delete=models.PROTECT, related_name="learning_reviews")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=TITLE_MAX, validators=[PlainText("The title")])
    reference = models.CharField(max_length=REFERENCE_MAX, blank=True, validators=[PlainText("The reference")])
    date = models.DateField(help_text="Reach and practice change are counted from this day")
    summary = models.TextField(blank=True, max_length=SUMMARY_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "title"]
        constraints = [models.CheckConstraint(
            condition=Q(kind__in=["cspr", "rapid_review", "local_reflective_review", "learning_circle",
                                  "multi_agency_audit", "national_review"]),
            name="reviews_learningreview_kind_valid")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning_review", args=[self.pk])

    @property
    def theme_list(self) -> list[str]:
        return [t.theme for t in self.themes.all()]


class ReviewTheme(models.Model):
    """A theme of a review, in the same words as course and resource themes ("Neglect")."""

    review = models.ForeignKey(LearningReview, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=THEME_MAX, validators=[PlainText("A theme")])

    class Meta:
        ordering = ["theme"]
        constraints = [models.UniqueConstraint(fields=["review", "theme"], name="reviews_reviewtheme_once")]

    def __str__(self) -> str:
        return self.theme


class Recommendation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        EVIDENCED = "evidenced", "Evidenced"
        CLOSED = "closed", "Closed"

    review = models.ForeignKey(LearningReview, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=TEXT_MAX)
    lead_agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="led_recommendations")
    owner_agencies = models.ManyToManyField("people.Agency", blank=True, related_name="owned_recommendations")
    due = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    closed_reason = models.TextField(blank=True, max_length=REASON_MAX)
    courses = models.ManyToManyField("courses.Course", blank=True, related_name="recommendations")
    resources = models.ManyToManyField("resources.Resource", blank=True, related_name="recommendations")
    briefings = models.ManyToManyField("resources.Briefing", blank=True, related_name="recommendations")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "review__title", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="reviews_recommendation_number_once"),
            models.CheckConstraint(condition=Q(status__in=["open", "in_progress", "evidenced", "closed"]),
                                   name="reviews_recommendation_status_valid"),
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(closed_reason=""),
                                   name="reviews_recommendation_closed_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "due"], name="reviews_rec_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.review.title}, recommendation {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("recommendation", args=[self.pk])

    def owner_ids(self) -> set[int]:
        """The lead agency and every other owner agency (read from a prefetch when there is one)."""
        return {self.lead_agency_id, *(a.pk for a in self.owner_agencies.all())}


class RecommendationChange(models.Model):
    """Every change to a recommendation, kept: what it was, what it became, who and when."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=40)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField(blank=True, max_length=REASON_MAX)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.before} → {self.after}"


class Evidence(models.Model):
    """A dated note that a recommendation is being answered: added, never edited."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="evidence")
    agency = models.ForeignKey("people.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="The agency whose staff it speaks for")
    note = models.TextField(max_length=NOTE_MAX)
    staff_reached = models.PositiveIntegerField(null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name_plural = "evidence"
        constraints = [models.CheckConstraint(condition=Q(staff_reached__lte=100000),
                                              name="reviews_evidence_staff_sane")]

    def __str__(self) -> str:
        return f"Evidence for {self.recommendation_id}"


class OwnerReminder(models.Model):
    """A recommendation listed in an owner agency's weekly email: once per recommendation per week."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week it was sent")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recommendation", "agency", "week"],
                                               name="reviews_ownerreminder_once_a_week")]

    def __str__(self) -> str:
        return f"{self.recommendation_id} to {self.agency_id} in week {self.week}"
