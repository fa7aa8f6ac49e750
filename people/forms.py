from allauth.account.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
)


class GovukWords:
    """allauth's forms saying what is missing in GOV.UK's words, not Django's "This field is required."."""

    missing: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, words in self.missing.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = words


NEW_PASSWORD = {"password1": "Enter a new password", "password2": "Enter the new password again"}


class HubSignupForm(GovukWords, SignupForm):
    """Sign-up with a work email, and (from people.signup.SignupDetails) a name, an agency and a job title."""

    field_order = ["name", "email", "agency", "job_title", "password1", "password2"]
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"


class HubChangePasswordForm(GovukWords, ChangePasswordForm):
    missing = {"oldpassword": "Enter your current password", **NEW_PASSWORD}


class HubSetPasswordForm(GovukWords, SetPasswordForm):
    missing = NEW_PASSWORD


class HubResetPasswordForm(GovukWords, ResetPasswordForm):
    missing = {"email": "Enter your email address"}


class HubResetPasswordKeyForm(GovukWords, ResetPasswordKeyForm):
    missing = NEW_PASSWORD
