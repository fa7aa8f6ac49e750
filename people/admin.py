from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from lib.errors import DomainError
from lib.forms import IdsField
from people import roles
from people.acting import acting_partnership
from people.models import Agency, Partnership, Person, RoleGrant
from people.partnerships import home_partnership_id, is_network, partnership_ids_for
from people.permissions import acts_for, may, scope
from people.selectors import agency_partnerships
from people.services import check_home_partnership, settle_role_grants


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


class PartnershipSettingsAdmin(BusinessUnitAdmin):
    """A per-partnership settings model (one row per partnership, a `partnership` one-to-one): each partnership's
    business unit sees and changes its own row only; on a network the list names the partnership. A row is added
    for the partnership the person acts for, while it has none (the hub makes one with the defaults on first use);
    none is deleted."""

    partnership_path = "partnership"

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return [*shown, "partnership"] if is_network() else shown

    def has_add_permission(self, request) -> bool:
        if not super().has_add_permission(request):
            return False
        partnership = acting_partnership(request)
        return partnership is not None and not self.model.objects.filter(partnership=partnership).exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def as_validation_error(exc: DomainError) -> ValidationError:
    return ValidationError({exc.field: exc.message} if exc.field else exc.message)


CHECKBOXES = BusinessUnitAdmin.formfield_overrides | {  # a few choices (roles, partnerships): checkboxes
    models.ManyToManyField: {**BusinessUnitAdmin.formfield_overrides[models.ManyToManyField],
                             "widget": forms.CheckboxSelectMultiple}}


@admin.register(Partnership)
class PartnershipAdmin(BusinessUnitAdmin):
    """The partnerships on the hub: the business unit reads them and changes its own partnership's details;
    operations add them (here as a superuser, or `manage.py add_partnership`). None is ever deleted: courses,
    charges and invoices belong to it."""

    list_display = ["name", "slug", "contact_email", "website"]
    fields = ["name", "slug", "contact_email", "website"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []  # the slug is in addresses (/p/{slug}/): it stays

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        if not may(request.user, "use_admin"):
            return False
        return obj is None or obj.pk in partnership_ids_for(request.user, roles.BUSINESS_UNIT)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(BusinessUnitAdmin):
    list_display = ["name", "code", "kind", "email_domains", "billing_email", "requires_line_manager_approval"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    readonly_fields = ["created_at"]  # a record of when, not a setting (and its split widget has no labels)
    formfield_overrides = CHECKBOXES

    # A hub of one shows no partnership: every agency is in its one.
    def get_exclude(self, request, obj=None):
        return [] if is_network() else ["partnerships"]

    def get_list_display(self, request):
        return [*self.list_display, "partnership_names"] if is_network() else self.list_display

    def get_list_filter(self, request):
        return [*self.list_filter, "partnerships"] if is_network() else self.list_filter

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partnerships")

    @admin.display(description="partnerships")
    def partnership_names(self, agency) -> str:
        return ", ".join(p.name for p in agency_partnerships(agency))


class PersonForm(forms.ModelForm):
    class Meta:  # the admin chooses the fields shown (PersonAdmin.get_fields)
        model = Person
        fields = ["name", "email", "agency", "home_partnership", "job_title", "groups", "is_active"]
        field_classes = {"groups": IdsField}

    def clean(self):
        cleaned = super().clean()
        home = cleaned.get("home_partnership")
        if home is not None and "agency" in cleaned:
            try:
                check_home_partnership(cleaned["agency"], home)
            except DomainError as exc:
                self.add_error("home_partnership", exc.message)
        return cleaned


class RoleGrantInline(MissingAnswerWords, admin.StackedInline):
    """Where the person is business unit, finance officer or trainer: one row per role and partnership."""

    model = RoleGrant
    extra = 1
    fields = ["role", "partnership"]
    verbose_name = "role held for a partnership"
    verbose_name_plural = "business unit, finance and trainer roles, each held for a partnership"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "role":
            return forms.ChoiceField(label="Role", choices=[("", "Choose a role"), *[(r, r) for r in roles.SCOPED]],
                                     error_messages={"required": "Select the role"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _allowed(self, request, obj=None) -> bool:
        return may(request.user, "use_admin")

    has_view_permission = _allowed
    has_add_permission = _allowed
    has_change_permission = _allowed
    has_delete_permission = _allowed


@admin.register(Person)
class PersonAdmin(BusinessUnitAdmin):
    form = PersonForm
    list_display = ["name", "email", "agency", "job_title", "is_active"]
    list_filter = ["agency", "groups"]
    search_fields = ["name", "email"]
    fields = ["name", "email", "agency", "job_title", "groups", "is_active"]
    partnership_path = "home_partnership"  # the business unit keeps its own partnership's people
    formfield_overrides = CHECKBOXES  # six roles

    # On a network the scoped roles are given per partnership (the inline), the others ticked; a hub of one
    # ticks them all, as before, and they are held for its one partnership.
    def get_fields(self, request, obj=None):
        return ["name", "email", "agency", "home_partnership", "job_title", "groups", "is_active"] if is_network() \
            else self.fields

    def get_inlines(self, request, obj):
        return [RoleGrantInline] if is_network() else []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and is_network():
            from django.contrib.auth.models import Group

            kwargs["queryset"] = Group.objects.exclude(name__in=roles.SCOPED).order_by("name")
            kwargs["help_text"] = "Business unit, finance and trainer are held for a partnership: add them below."
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        settle_role_grants(form.instance, from_grants=is_network())

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
        return request.user.is_superuser or home_partnership_id(obj) in partnership_ids_for(
            request.user, roles.BUSINESS_UNIT)
