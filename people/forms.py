from allauth.account.forms import LoginForm, SignupForm
from django import forms

from people.models import Agency


class HubSignupForm(SignupForm):
    """Sign-up with a work email, the agency the person works for and their job title."""

    name = forms.CharField(label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    agency = forms.ModelChoiceField(
        label="Agency you work for",
        queryset=Agency.objects.order_by("name"),
        empty_label="Choose your agency",
        help_text="Your agency is told about your bookings and pays any no-show charge.",
        error_messages={
            "required": "Choose the agency you work for",
            "invalid_choice": "Choose an agency from the list",
        },
    )
    job_title = forms.CharField(
        label="Job title", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "organization-title"})
    )

    field_order = ["name", "email", "agency", "job_title", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email address"
        self.fields["email"].help_text = "Your own work address, not a shared inbox or a personal one."
        self.fields["password2"].label = "Password (again)"
        self.order_fields(self.field_order)

    def custom_signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"]
        user.agency = self.cleaned_data["agency"]
        user.job_title = self.cleaned_data["job_title"]
        user.save()


class HubLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
