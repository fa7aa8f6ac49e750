from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from courses.models import Session
from lib.errors import DomainError
from lib.forms import GovukDateField, IdsField, limited_text
from lib.params import period
from people.acting import acting_partnership
from people.models import Agency
from people.permissions import may, require
from reports.api import partnership_filters, resource_partnerships
from reports.views import partnership_choices
from resources import selectors, services
from resources.models import BRIEFING_MAX, DESCRIPTION_MAX, NOTE_MAX, REFLECTION_MAX, Briefing, Dissemination, Resource


class FilterForm(forms.Form):
    theme = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Resource.Kind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = Resource.objects.filter(retired_at=None).order_by("theme").values_list("theme", flat=True).distinct()
        self.fields["theme"].choices = [("", "Any theme"), *((t, t) for t in themes)]


@login_required
def catalogue(request):
    form = FilterForm(request.GET or None)
    resources = Resource.objects.filter(retired_at=None).select_related("owner_agency").prefetch_related(
        "created_by_agencies")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["theme"]:
            resources = resources.filter(theme=form.cleaned_data["theme"])
        if form.cleaned_data["kind"]:
            resources = resources.filter(kind=form.cleaned_data["kind"])
    return render(request, "resources/catalogue.html", {
        "form": form, "resources": resources, "can_manage": may(request.user, "manage_resources")})


class DisseminationForm(forms.Form):
    date = GovukDateField(label="Date used", error_messages={"required": "Enter the date you used it"})
    format = forms.ChoiceField(label="How", choices=Dissemination.Format.choices,
                               error_messages={"required": "Select how you used it"})
    staff_briefed = forms.IntegerField(label="Staff briefed", min_value=1, max_value=services.MAX_STAFF,
                                       error_messages={"required": "Enter how many staff you briefed",
                                                       "invalid": "Staff briefed must be a whole number, such as 12"})
    note = limited_text(NOTE_MAX, label="Note (optional)", named="The note", required=False, rows=2)


@login_required
def detail(request, pk: int):
    resource = get_object_or_404(Resource.objects.select_related("owner_agency"), pk=pk)
    form = DisseminationForm(request.POST or None) if request.POST.get("action") == "disseminate" else \
        DisseminationForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "worked_through":
                services.mark_worked_through(resource, request.user, reflection=request.POST.get("reflection", ""))
                messages.success(request, "Recorded: it is on your learning record.")
                return redirect(resource)
            if request.POST.get("action") == "disseminate":
                require(request.user, "record_dissemination", resource)
                if form.is_valid():
                    d = form.cleaned_data
                    services.record_dissemination(resource, agency=request.user.agency, by=request.user,
                                                  date_used=d["date"], staff_briefed=d["staff_briefed"],
                                                  note=d["note"], format=d["format"])
                    messages.success(request, "Recorded your agency's use of this resource.")
                    return redirect(resource)
            if request.POST.get("action") == "retire":
                require(request.user, "manage_resources", resource)
                services.retire_resource(resource)
                messages.success(request, "Resource retired.")
                return redirect("resources")
        except DomainError as exc:
            messages.error(request, exc.message)
    mine = resource.worked_through.filter(person=request.user).first()
    return render(request, "resources/detail.html", {
        "resource": resource, "form": form, "mine": mine, "reflection_limit": REFLECTION_MAX,
        "reflection": request.POST.get("reflection") if request.POST.get("action") == "worked_through" else None,
        "can_disseminate": may(request.user, "record_dissemination", resource) and request.user.agency_id,
        "can_manage": may(request.user, "manage_resources", resource),
        "disseminations": resource.disseminations.select_related("agency")[:20],
    })


@login_required
def open_resource(request, pk: int):
    """Record the opening, then go to the resource's own address (never anywhere a link asks)."""
    resource = get_object_or_404(Resource, pk=pk)
    try:
        url = services.record_opening(resource, request.user)
    except DomainError as exc:
        return render(request, "resources/unavailable.html", {"resource": resource, "error": exc.message},
                      status=410 if resource.retired else 400)
    return redirect(url)


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the resource's title"})
    theme = forms.CharField(max_length=80, help_text="For example: Strategy meetings, Section 47, Domestic abuse",
                            error_messages={"required": "Enter the theme"})
    kind = forms.ChoiceField(choices=Resource.Kind.choices, error_messages={"required": "Select the kind"})
    url = forms.CharField(label="Web address", max_length=500,
                          help_text="The resource's share link, starting https:// or http://",
                          error_messages={"required": "Enter the resource's web address"})
    owner_agency = forms.ModelChoiceField(label="Owning agency", queryset=Agency.objects.order_by("name"),
                                          error_messages={"required": "Select the agency that owns it"})
    created_by_agencies = IdsField(label="Agencies that created it", required=False,
                                                         queryset=Agency.objects.order_by("name"),
                                                         widget=forms.CheckboxSelectMultiple)
    description = limited_text(DESCRIPTION_MAX, label="Description", named="The description", required=False, rows=3)
    review_on = GovukDateField(label="Review date (optional)", required=False)


@login_required
def publish(request):
    require(request.user, "manage_resources")
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            resource = services.publish_resource(
                title=d["title"], theme=d["theme"], kind=d["kind"], url=d["url"], owner_agency=d["owner_agency"],
                created_by_agencies=list(d["created_by_agencies"]), description=d["description"],
                review_on=d["review_on"], partnership=acting_partnership(request))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Resource published.")
            return redirect(resource)
    return render(request, "resources/publish.html", {"form": form})


@login_required
def reach(request):
    require(request.user, "view_reach")
    try:
        start_d, end_d = period(request.GET)
        scope = partnership_filters(request.GET, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        start_d = end_d = None
        scope = partnership_filters({}, request.user)
    every_agency = may(request.user, "manage_resources") or may(request.user, "report_on_every_partnership")
    agency = None if every_agency else request.user.agency
    rows = selectors.reach(start=start_d, end=end_d, agency=agency, resource_partnerships=resource_partnerships(scope),
                           home_partnership=scope.home_partnership, default_partnership=scope.default_partnership)
    totals = selectors.totals_by_resource(rows)
    top = max([t["openings"] for t in totals] + [t["staff_briefed"] for t in totals] + [1])
    for t in totals:
        t["open_pct"] = round(100 * t["openings"] / top)
        t["staff_pct"] = round(100 * t["staff_briefed"] / top)
    return render(request, "resources/reach.html", {"rows": rows, "totals": totals, "params": request.GET,
                                                    "partnership_label": "Published by",
                                                    "home_label": "Readers' home partnership",
                                                    **partnership_choices(scope)})


class BriefingForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="For example: Partnership Briefing Issue No: 91",
                            error_messages={"required": "Enter the briefing's title"})
    body = limited_text(BRIEFING_MAX, label="Body", named="The briefing", rows=8,
                        error_messages={"required": "Enter the briefing"})
    sessions = IdsField(required=False, queryset=Session.objects.none(),
                                              widget=forms.CheckboxSelectMultiple, label="Upcoming sessions to include")
    resources = IdsField(required=False, queryset=Resource.objects.filter(retired_at=None),
                                               widget=forms.CheckboxSelectMultiple, label="Resources to include")

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        upcoming = Session.objects.scheduled().filter(starts_at__gte=timezone.now()).order_by("starts_at")
        if partnership is not None:  # a briefing tells of its own partnership's sessions and resources
            upcoming = upcoming.filter(course__partnership=partnership)
            self.fields["resources"].queryset = Resource.objects.filter(retired_at=None, partnership=partnership)
        self.fields["sessions"].queryset = Session.objects.filter(
            pk__in=upcoming.values("pk")[:40]).select_related("course").order_by("starts_at")


def briefings(request):
    sent = Briefing.objects.exclude(sent_at=None).order_by("-sent_at")
    return render(request, "resources/briefings.html", {"briefings": sent,
                                                         "can_send": may(request.user, "send_briefings")})


def briefing_detail(request, pk: int):
    briefing = get_object_or_404(Briefing.objects.exclude(sent_at=None), pk=pk)
    return render(request, "resources/briefing.html", {"briefing": briefing})


@login_required
def briefing_new(request):
    require(request.user, "send_briefings")
    partnership = acting_partnership(request)
    form = BriefingForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        briefing = services.write_briefing(title=d["title"], body=d["body"], sessions=d["sessions"],
                                           resources=d["resources"], by=request.user, partnership=partnership)
        messages.success(request, f"Briefing sent to {briefing.recipients} people.")
        return redirect(briefing)
    return render(request, "resources/briefing_new.html", {"form": form})


def unsubscribe(request, token: str):
    if request.method == "POST":
        try:
            person = services.unsubscribe(token)
        except DomainError as exc:
            return render(request, "resources/unsubscribe.html", {"error": exc.message}, status=400)
        return render(request, "resources/unsubscribe.html", {"done": True, "person": person})
    return render(request, "resources/unsubscribe.html", {"token": token})
