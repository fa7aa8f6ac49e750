"""What sign-up asks beyond the email and password, for the web form and allauth's headless API alike.

allauth builds both sign-up forms on this class (ACCOUNT_SIGNUP_FORM_CLASS), so an app cannot sign
someone up without a name, an agency and a job title. It must not import allauth's forms: they import it.
"""

from django import forms

from lib.errors import Invalid
from lib.text import PlainName
from people.models import Agency, Partnership
from people.partnerships import default_partnership, is_network
from people.selectors import agency_partnerships
from people.services import check_home_partnership, check_work_email


class AgencySelect(forms.Select):
    """Each agency's option carries its email domains, so the page can choose the agency from the email, and on
    a network its partnerships, so the page can ask for the home partnership as soon as there is a choice."""

    partnerships = False

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        agency = getattr(value, "instance", None)
        if agency is not None and agency.email_domains:
            option["attrs"]["data-domains"] = agency.email_domains
        if agency is not None and self.partnerships:
            option["attrs"]["data-partnerships"] = " ".join(p.slug for p in agency_partnerships(agency))
        return option


class Radios(forms.RadioSelect):
    """Radios whose question is "labelled" by its first option, so that the error summary links to it (GOV.UK)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


def home_partnership_field() -> forms.ModelChoiceField:
    """The home partnership question, as radios: shown when the chosen agency works with several partnerships (by
    the page's script as soon as the agency is chosen, else after sending the form), hidden otherwise."""
    return forms.ModelChoiceField(
        label="Your home partnership",
        queryset=Partnership.objects.order_by("pk"),
        to_field_name="slug",
        required=False,
        empty_label=None,
        widget=Radios,
        help_text="Your agency works with more than one safeguarding partnership: choose the one whose area you "
                  "mainly work in. Its sessions are open to you, and its reports count your training.",
        error_messages={"invalid_choice": "Select your home partnership from the list"},
    )


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

    ask_home = False  # whether the page shows the home partnership question (signup.html)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A hub of one partnership asks nothing more: its sign-up is as it always was.
        if is_network():
            self.fields["agency"].widget.partnerships = True
            self.fields["agency"].queryset = Agency.objects.order_by("name").prefetch_related("partnerships")
            self.fields["home_partnership"] = home_partnership_field()

    def clean(self):
        cleaned = super().clean()
        agency, email = cleaned.get("agency"), cleaned.get("email")
        if agency and email:
            try:
                check_work_email(agency, email)
            except Invalid as exc:
                self.add_error("email", exc.message)
        if "home_partnership" in self.fields:
            self._clean_home(agency, cleaned.get("home_partnership"))
        return cleaned

    def _clean_home(self, agency: Agency | None, home: Partnership | None) -> None:
        """Ask for the home partnership when the agency works with several; refuse one the agency is not in."""
        choices = agency_partnerships(agency) if agency else list(Partnership.objects.order_by("pk"))
        if agency and len(choices) > 1 and home is None and "home_partnership" not in self.errors:
            self.add_error("home_partnership", f"Select your home partnership: {agency.name} works with more than "
                                               "one partnership")
        elif agency and home is not None:
            try:
                check_home_partnership(agency, home)
            except Invalid as exc:
                self.add_error("home_partnership", exc.message)
        if "home_partnership" in self.errors:  # ask the question, with the agency's partnerships only
            self.ask_home = True
            field = self.fields["home_partnership"]
            field.queryset = Partnership.objects.filter(pk__in=[p.pk for p in choices]).order_by("pk")
            field.widget.choices = field.choices

    def signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"]
        user.agency = self.cleaned_data["agency"]
        user.job_title = self.cleaned_data["job_title"]
        user.home_partnership = self.cleaned_data.get("home_partnership") or _only_partnership(user.agency)
        user.save()


def _only_partnership(agency: Agency | None) -> Partnership | None:
    """The home of someone whose agency works with one partnership: that one, or empty when it is the default."""
    choices = agency_partnerships(agency) if agency else []
    if len(choices) == 1 and choices[0].pk != default_partnership().pk:
        return choices[0]
    return None
