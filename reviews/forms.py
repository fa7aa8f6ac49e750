from django import forms

from courses.models import Course
from lib.forms import GovukDateField, IdsField, limited_text
from lib.text import PlainText
from people.models import Agency
from resources.models import Briefing, Resource
from reviews.models import (
    NOTE_MAX,
    REASON_MAX,
    REFERENCE_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    TITLE_MAX,
    LearningReview,
    Recommendation,
)
from reviews.services import MAX_STAFF


def _checkboxes(queryset, label: str, **kwargs):
    """Several objects ticked by id: IdsField, so that anything but a whole number within the ids' range is
    "Select from the list", never a query the database cannot bind."""
    return IdsField(queryset=queryset, required=False, label=label, widget=forms.CheckboxSelectMultiple, **kwargs)


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(choices=LearningReview.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of review"})
    title = forms.CharField(max_length=TITLE_MAX, validators=[PlainText("The title")], error_messages={
        "required": "Enter the review's title", "max_length": f"The title must be {TITLE_MAX} characters or fewer"})
    reference = forms.CharField(label="Reference (optional)", max_length=REFERENCE_MAX, required=False,
                                validators=[PlainText("The reference")], error_messages={
                                    "max_length": f"The reference must be {REFERENCE_MAX} characters or fewer"})
    date = GovukDateField(label="Date of the review",
                          help_text="Reach is counted from this day. For example, 27 3 2025",
                          error_messages={"required": "Enter the date of the review"})
    themes = forms.CharField(label="Themes (optional)", required=False, max_length=500,
                             error_messages={"max_length": "The themes must be 500 characters or fewer"},
                             help_text="Separated by commas, in the words courses and resources use, such as Neglect, "
                                       "Domestic abuse")
    summary = limited_text(SUMMARY_MAX, label="Summary (optional)", named="The summary", required=False)

    def clean_themes(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["themes"].split(",") if t.strip()]


def _links(queryset, label: str, partnership_id: int | None):
    """Checkboxes for the review's partnership's courses, resources or briefings (`partnership_id`; every one when
    None). Another partnership's, named by id in a request, is still read, so that the service refuses it with
    words naming the field (reviews.services.check_links), never taken."""
    field = _checkboxes(queryset, label)
    if partnership_id is not None:
        field.widget = _checkboxes(queryset.filter(partnership_id=partnership_id), label).widget
    return field


class _LinksForm(forms.Form):
    def __init__(self, *args, partnership_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agencies"] = _checkboxes(Agency.objects.order_by("name"), "Other owner agencies")
        self.fields["courses"] = _links(Course.objects.filter(is_active=True).order_by("title"),
                                        "Courses that answer it", partnership_id)
        self.fields["resources"] = _links(Resource.objects.filter(retired_at=None).order_by("title"),
                                          "Resources that answer it", partnership_id)
        self.fields["briefings"] = _links(Briefing.objects.order_by("-created_at"), "Briefings that answer it",
                                          partnership_id)


class RecommendationForm(_LinksForm):
    text = limited_text(TEXT_MAX, label="Recommendation", named="The recommendation", rows=3,
                        error_messages={"required": "Enter the recommendation"})
    lead_agency = forms.ModelChoiceField(label="Lead agency", queryset=Agency.objects.order_by("name"),
                                         error_messages={"required": "Select the lead agency"})
    due = GovukDateField(label="Due date", help_text="For example, 31 3 2026",
                         error_messages={"required": "Enter the due date"})

    field_order = ["text", "lead_agency", "due", "owner_agencies", "courses", "resources", "briefings"]


class ChangeForm(_LinksForm):
    status = forms.ChoiceField(choices=Recommendation.Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the status"})
    reason = limited_text(REASON_MAX, label="Reason (needed to close or reopen)", named="The reason", rows=2,
                          required=False)
    due = GovukDateField(label="Due date", error_messages={"required": "Enter the due date"})
    text = limited_text(TEXT_MAX, label="Recommendation", named="The recommendation", rows=3,
                        error_messages={"required": "Enter the recommendation"})
    lead_agency = forms.ModelChoiceField(label="Lead agency", queryset=Agency.objects.order_by("name"),
                                         error_messages={"required": "Select the lead agency"})

    field_order = ["status", "reason", "due", "text", "lead_agency", "owner_agencies", "courses", "resources",
                   "briefings"]


class EvidenceForm(forms.Form):
    note = limited_text(NOTE_MAX, label="What your agency has done", named="The evidence",
                        error_messages={"required": "Enter the evidence"})
    staff_reached = forms.IntegerField(label="Staff reached (optional)", required=False, min_value=0,
                                       max_value=MAX_STAFF,
                                       error_messages={"invalid": "Staff reached must be a whole number, such as 12"})

    def __init__(self, *args, for_business_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_business_unit:
            self.fields["note"].label = "Evidence"
            self.fields["agency"] = forms.ModelChoiceField(
                label="For agency (optional)", required=False, queryset=Agency.objects.order_by("name"),
                help_text="The agency whose staff it counts")


class TrackerFilterForm(forms.Form):
    review = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *LearningReview.Kind.choices])
    theme = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Recommendation.Status.choices])
    agency = forms.ChoiceField(required=False)
    overdue = forms.BooleanField(required=False, label="Only overdue")

    def __init__(self, *args, reviews=(), themes=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].choices = [("", "Any review"), *((r.pk, r.title) for r in reviews)]
        self.fields["theme"].choices = [("", "Any theme"), *((t, t) for t in themes)]
        self.fields["agency"].choices = [("", "Any agency"), *((a.code, a.name) for a in agencies)]
