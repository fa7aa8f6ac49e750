"""What sign-up asks beyond the email and password, for the web form and allauth's headless API alike.

allauth builds both sign-up forms on this class (ACCOUNT_SIGNUP_FORM_CLASS), so an app cannot sign
someone up without a name, an agency and a job title. It must not import allauth's forms: they import it.
"""

from django import forms

from lib.errors import Invalid
from lib.text import PlainName
from people.models import Agency
from people.services import check_work_email


class AgencySelect(forms.Select):
    """Each agency's option carries its email domains, so the page can choose the agency from the email."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        agency = getattr(value, "instance", None)
        if agency is not None and agency.email_domains:
            option["attrs"]["data-domains"] = agency.email_domains
        return option


class SignupDetails(forms.Form):
    name = forms.CharField(label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}),
                           validators=[PlainName("Full name")],
                           error_messages={"required": "Enter your full name",
                                           "max_length": "Full name must be 150 characters or fewer"})
    agency = forms.ModelChoiceField(
        label="Agency you work for",
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",  # the API knows agencies by code
        widget=AgencySelect,
        empty_label="Choose your agency",
        help_text="Your agency is told about your bookings and pays any no-show charge.",
        error_messages={
            "required": "Choose the agency you work for",
            "invalid_choice": "Choose an agency from the list",
        },
    )
    job_title = forms.CharField(
        label="Job title", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        validators=[PlainName("Job title")],
        error_messages={"required": "Enter your job title", "max_length": "Job title must be 150 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        agency, email = cleaned.get("agency"), cleaned.get("email")
        if agency and email:
            try:
                check_work_email(agency, email)
            except Invalid as exc:
                self.add_error("email", exc.message)
        return cleaned

    def signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"]
        user.agency = self.cleaned_data["agency"]
        user.job_title = self.cleaned_data["job_title"]
        user.save()
