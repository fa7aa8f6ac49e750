from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from courses import services
from courses.models import Course, Session, TrainerPoolMembership
from lib.errors import DomainError
from people.admin import BusinessUnitAdmin, MissingAnswerWords, as_validation_error


class CourseAdminForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "level",
            "theme",
            "summary",
            "learning_outcomes",
            "duration_minutes",
            "prerequisites",
            "is_active",
        ]
        labels = {"duration_minutes": "Duration in minutes"}

    def clean(self):
        data = super().clean()
        try:
            services.check_course_fields(title=data.get("title"), duration_minutes=data.get("duration_minutes"))
            if "prerequisites" in data:
                services.check_prerequisites(self.instance, data["prerequisites"])
        except DomainError as exc:
            raise as_validation_error(exc) from exc
        return data


class PoolInline(MissingAnswerWords, admin.TabularInline):
    model = TrainerPoolMembership
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "agency"]


@admin.register(Course)
class CourseAdmin(BusinessUnitAdmin):
    form = CourseAdminForm
    list_display = ["title", "level", "theme", "duration_minutes", "is_active"]
    list_filter = ["level", "theme", "is_active"]
    search_fields = ["title", "theme"]
    # Checkboxes, not filter_horizontal: its widget breaks an ARIA rule (aria-label on a span), and a
    # short list of courses reads better as checkboxes.
    formfield_overrides = BusinessUnitAdmin.formfield_overrides | {
        models.ManyToManyField: {**BusinessUnitAdmin.formfield_overrides[models.ManyToManyField],
                                 "widget": forms.CheckboxSelectMultiple}}
    inlines = [PoolInline]
    partnership_path = "partnership"


@admin.register(Session)
class SessionAdmin(BusinessUnitAdmin):
    """Sessions are scheduled and changed on the business unit's own pages, through the same services."""

    list_display = ["course", "starts_at", "format", "venue", "capacity", "status", "edit_link"]
    list_filter = ["status", "format", "course__level"]
    search_fields = ["course__title", "venue"]
    partnership_path = "course__partnership"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Change")
    def edit_link(self, session):
        return format_html('<a href="{}">Change or cancel</a>', reverse("session_edit", args=[session.pk]))
