from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from lib.errors import DomainError
from lib.forms import IdsField
from people.models import Agency, Person
from people.permissions import may


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
    """Admin pages open to the business unit alone (the one rule in people.permissions)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"},  # links are https (Django 6's default)
                           models.ManyToManyField: {"form_class": IdsField}}  # ids, never an unbindable number

    def _allowed(self, request, obj=None) -> bool:
        return may(request.user, "use_admin")

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
    formfield_overrides = BusinessUnitAdmin.formfield_overrides | {  # five roles: checkboxes
        models.ManyToManyField: {**BusinessUnitAdmin.formfield_overrides[models.ManyToManyField],
                                 "widget": forms.CheckboxSelectMultiple}}

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # people are deactivated, never deleted: their history stays
