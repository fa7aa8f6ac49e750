from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html

from courses import services
from courses.models import Course, Session, SessionReservation, TrainerPoolMembership
from lib.dates import to_london
from lib.errors import DomainError
from lib.forms import IdsField
from people.acting import acting_partnership
from people.admin import BusinessUnitAdmin, MissingAnswerWords, as_validation_error
from people.partnerships import is_network


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
        field_classes = {"prerequisites": IdsField}  # ids only, as the admin's own many-to-many fields

    # The partnership the course is (or will be) delivered by, set by CourseAdmin.get_form: the partnership is not
    # a field here, so the model's (partnership, title) constraint is not checked by the form and is checked below.
    partnership = None

    def clean(self):
        data = super().clean()
        try:
            services.check_course_fields(title=data.get("title"), duration_minutes=data.get("duration_minutes"))
            if data.get("title"):
                services.check_title_free(data["title"], self.partnership, course=self.instance)
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.partnership = obj.partnership if obj is not None else acting_partnership(request)
        return form


@admin.register(Session)
class SessionAdmin(BusinessUnitAdmin):
    """Sessions are scheduled and changed on the business unit's own pages, through the same services."""

    list_display = ["course", "starts_at", "format", "venue", "capacity", "status", "edit_link"]
    list_filter = ["status", "format", "course__level"]
    search_fields = ["course__title", "venue"]
    partnership_path = "course__partnership"

    def get_list_display(self, request):
        """On a hub of several partnerships: who delivers, who may book, and the places kept per partnership."""
        shown = super().get_list_display(request)
        if not is_network():
            return shown
        return [*shown[:-1], "delivering_partnership", "open_to", "reserved", shown[-1]]

    def get_list_filter(self, request):
        shown = super().get_list_filter(request)
        return [*shown, "open_to", "course__partnership"] if is_network() else shown

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course__partnership").prefetch_related(
            Prefetch("reservations", queryset=SessionReservation.objects.select_related("partnership")))

    @admin.display(description="Delivered by")
    def delivering_partnership(self, session) -> str:
        return session.course.partnership.name

    @admin.display(description="Places reserved")
    def reserved(self, session) -> str:
        kept = ", ".join(f"{r.places} for {r.partnership.name}" for r in session.reservations.all())
        if not kept:
            return "None"
        return f"{kept}, until {to_london(session.reserved_until or session.booking_closes_at):%-d %b %Y %H:%M}"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Change")
    def edit_link(self, session):
        return format_html('<a href="{}">Change or cancel</a>', reverse("session_edit", args=[session.pk]))
