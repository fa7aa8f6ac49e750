"""The business unit's admin for the tracker: settings and headcounts to set, reviews and their
recommendations to read. Recommendations change through the tracker's pages and the API, which keep
every change; evidence is only ever added there."""

from django.contrib import admin

from people.admin import BusinessUnitAdmin, PartnershipSettingsAdmin
from reviews.models import (
    AgencyHeadcount,
    Evidence,
    LearningReview,
    Recommendation,
    RecommendationChange,
    ReviewTheme,
    TrackerSettings,
)


@admin.register(TrackerSettings)
class TrackerSettingsAdmin(PartnershipSettingsAdmin):
    """Each partnership's share of an owner agency's staff below which a recommendation of its reviews shows
    amber."""

    list_display = ["__str__", "amber_reach_percent"]


@admin.register(AgencyHeadcount)
class AgencyHeadcountAdmin(BusinessUnitAdmin):
    list_display = ["agency", "headcount", "updated_at"]
    readonly_fields = ["updated_at"]


class ThemeInline(admin.TabularInline):
    model = ReviewTheme
    extra = 1


@admin.register(LearningReview)
class LearningReviewAdmin(BusinessUnitAdmin):
    list_display = ["title", "kind", "reference", "date"]
    list_filter = ["kind"]
    search_fields = ["title", "reference"]
    inlines = [ThemeInline]
    partnership_path = "partnership"
    readonly_fields = ["created_by", "created_at", "updated_at"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EvidenceInline(_ReadOnlyInline):
    model = Evidence
    fields = ["written_at", "written_by", "agency", "staff_reached", "note"]


class ChangeInline(_ReadOnlyInline):
    model = RecommendationChange
    fields = ["at", "by", "field", "before", "after", "reason"]


@admin.register(Recommendation)
class RecommendationAdmin(BusinessUnitAdmin):
    list_display = ["__str__", "lead_agency", "due", "status"]
    list_filter = ["status", "review__kind"]
    search_fields = ["text", "review__title"]
    inlines = [EvidenceInline, ChangeInline]
    partnership_path = "review__partnership"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
