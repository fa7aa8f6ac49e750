from allauth.account.forms import (
    AddEmailForm,
    ChangePasswordForm,
    LoginForm,
    ReauthenticateForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
)
from django import forms

from people.models import Partnership


class GovukWords:
    """allauth's forms in GOV.UK's words: what is missing ("Enter your password", not Django's "This
    field is required.") and labels in sentence case ("New password", not "New Password")."""

    missing: dict[str, str] = {}
    labels: dict[str, str] = {}
    # The page links to "Forgotten your password?" itself, as a GOV.UK link.
    no_help_text: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, words in self.missing.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = words
        for name, label in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label
        for name in self.no_help_text:
            if name in self.fields:
                self.fields[name].help_text = ""


NEW_PASSWORD = {"password1": "Enter a new password", "password2": "Enter the new password again"}
NEW_PASSWORD_LABELS = {"password1": "New password", "password2": "New password (again)"}


class HubSignupForm(GovukWords, SignupForm):
    """Sign-up with a work email, and (from people.signup.SignupDetails) a name, an agency and a job title."""

    field_order = ["name", "email", "agency", "home_partnership", "job_title", "password1", "password2"]
    missing = {"email": "Enter your work email address", "password1": "Enter a password",
               "password2": "Enter the password again"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email address"
        self.fields["email"].help_text = "Your own work address, not a shared inbox or a personal one."
        self.fields["password2"].label = "Password (again)"
        self.order_fields(self.field_order)


class HubLoginForm(GovukWords, LoginForm):
    missing = {"login": "Enter your email address", "password": "Enter your password"}
    labels = {"login": "Email address", "remember": "Keep me signed in on this device"}
    no_help_text = ("password",)


class HubChangePasswordForm(GovukWords, ChangePasswordForm):
    missing = {"oldpassword": "Enter your current password", **NEW_PASSWORD}
    labels = {"oldpassword": "Current password", **NEW_PASSWORD_LABELS}
    no_help_text = ("oldpassword",)


class HubSetPasswordForm(GovukWords, SetPasswordForm):
    missing = NEW_PASSWORD


class HubResetPasswordForm(GovukWords, ResetPasswordForm):
    missing = {"email": "Enter your email address"}
    labels = {"email": "Email address"}


class HubResetPasswordKeyForm(GovukWords, ResetPasswordKeyForm):
    missing = NEW_PASSWORD
    labels = NEW_PASSWORD_LABELS


class HubAddEmailForm(GovukWords, AddEmailForm):
    missing = {"email": "Enter the email address to add"}
    labels = {"email": "Email address"}


class HubReauthenticateForm(GovukWords, ReauthenticateForm):
    missing = {"password": "Enter your password"}
    no_help_text = ("password",)


class HomePartnershipForm(forms.Form):
    """The account page's choice of home partnership, among the person's agency's partnerships."""

    home_partnership = forms.ModelChoiceField(
        label="Home partnership", queryset=Partnership.objects.none(), to_field_name="slug", empty_label=None,
        widget=forms.RadioSelect,
        help_text="The partnership whose area you mainly work in: its sessions are open to you, and its reports "
                  "count your training.",
        error_messages={"required": "Select your home partnership",
                        "invalid_choice": "Select your home partnership from the list"})

    def __init__(self, *args, choices: list[Partnership], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_partnership"].queryset = Partnership.objects.filter(
            pk__in=[p.pk for p in choices]).order_by("pk")
