from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from lib.errors import DomainError
from lib.forms import IdsField
from people import roles
from people.acting import acting_partnership
from people.models import Agency, Person
from people.permissions import acts_for, may, scope


class MissingAnswerWords:
    """A required field left empty says what is missing in GOV.UK's words ("Enter the title", "Select the
    level"), not Django's "This field is required.". For the admin's model forms and inlines."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and formfield.required:
            label = str(formfield.label or db_field.verbose_name)
            label = label if label[:2].isupper() else label[:1].lower() + label[1:]  # keep "URL", "SWAY link"
            chosen = isinstance(formfield, (forms.ChoiceField, forms.BooleanField))  # model choices are ChoiceFields
            formfield.error_messages["required"] = f"{'Select' if chosen else 'Enter'} the {label}"
        return formfield


class BusinessUnitAdmin(MissingAnswerWords, admin.ModelAdmin):
    """Admin pages open to the business unit alone (the one rule in people.permissions).

    A model that belongs to a partnership names the way to it (`partnership_path`, e.g. "course__partnership"):
    its lists hold the rows of the partnerships the person is the business unit for, and another partnership's
    row is neither shown nor changed (the admin answers as for a row that does not exist). A row added here
    belongs to the partnership the person runs the programme for (see people.acting).
    """

    formfield_overrides = {models.URLField: {"assume_scheme": "https"},  # links are https (Django 6's default)
                           models.ManyToManyField: {"form_class": IdsField}}  # ids, never an unbindable number
    partnership_path: str | None = None

    def _allowed(self, request, obj=None) -> bool:
        if not may(request.user, "use_admin"):
            return False
        return obj is None or self.partnership_path is None or self.theirs(request, obj)

    def theirs(self, request, obj) -> bool:
        """Whether `obj` belongs to a partnership the person is the business unit for."""
        return acts_for(request.user, roles.BUSINESS_UNIT, obj)

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if self.partnership_path is None:
            return rows
        return rows.filter(scope(request.user, roles.BUSINESS_UNIT, self.partnership_path))

    def get_exclude(self, request, obj=None):
        """The partnership is never picked here: a new row is the chosen partnership's, and a row stays with its."""
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, "partnership"] if self.partnership_path == "partnership" else exclude

    def save_model(self, request, obj, form, change) -> None:
        if not change and self.partnership_path == "partnership":
            obj.partnership = acting_partnership(request)
        super().save_model(request, obj, form, change)

    has_module_permission = _allowed
    has_view_permission = _allowed
    has_add_permission = _allowed
    has_change_permission = _allowed
    has_delete_permission = _allowed


def as_validation_error(exc: DomainError) -> ValidationError:
    return ValidationError({exc.field: exc.message} if exc.field else exc.message)


@admin.register(Agency)
class AgencyAdmin(BusinessUnitAdmin):
    list_display = ["name", "code", "kind", "email_domains", "billing_email", "requires_line_manager_approval"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    readonly_fields = ["created_at"]  # a record of when, not a setting (and its split widget has no labels)


@admin.register(Person)
class PersonAdmin(BusinessUnitAdmin):
    list_display = ["name", "email", "agency", "job_title", "is_active"]
    list_filter = ["agency", "groups"]
    search_fields = ["name", "email"]
    fields = ["name", "email", "agency", "job_title", "groups", "is_active"]
    partnership_path = "home_partnership"  # the business unit keeps its own partnership's people
    formfield_overrides = BusinessUnitAdmin.formfield_overrides | {  # five roles: checkboxes
        models.ManyToManyField: {**BusinessUnitAdmin.formfield_overrides[models.ManyToManyField],
                                 "widget": forms.CheckboxSelectMultiple}}

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # people are deactivated, never deleted: their history stays

    def get_queryset(self, request):
        """The business unit's own partnership's people; and, to put in a course's pool, every trainer (trainers
        serve the whole network, and the sessions they deliver name them)."""
        people = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            trainers = Person.objects.filter(groups__name=roles.TRAINER).values("pk")
            return (people | Person.objects.filter(pk__in=trainers)).distinct()
        return people

    def theirs(self, request, obj) -> bool:
        from people.partnerships import home_partnership_id
        from people.permissions import scoped_partnership_ids

        return request.user.is_superuser or home_partnership_id(obj) in scoped_partnership_ids(
            request.user, roles.BUSINESS_UNIT)
