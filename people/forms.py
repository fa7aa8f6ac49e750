from allauth.account.forms import LoginForm, SignupForm


class HubSignupForm(SignupForm):
    """Sign-up with a work email, and (from people.signup.SignupDetails) a name, an agency and a job title."""

    field_order = ["name", "email", "agency", "job_title", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email address"
        self.fields["email"].help_text = "Your own work address, not a shared inbox or a personal one."
        self.fields["password2"].label = "Password (again)"
        self.order_fields(self.field_order)


class HubLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
