"""The business unit's pages: its starting point, and scheduling, changing and cancelling sessions."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from attendance.selectors import open_registers
from bookings.services.booking import booking_window
from courses import services
from courses.models import Course, Session, TrainerPoolMembership
from courses.selectors import places_left, programme_sessions
from lib.dates import LONDON, to_london
from lib.errors import DomainError
from lib.forms import GovukDateField, IdsField
from lib.params import whole_number
from people.models import Person
from people.permissions import require

MAX_PARTS = 3
PROGRAMME_PAGE_SIZE = 25


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.filter(is_active=True), empty_label="Choose a course",
                                    error_messages={"required": "Select the course"})
    format = forms.ChoiceField(choices=Session.Format.choices)
    venue = forms.CharField(required=False, max_length=200, help_text="For example, Runcorn Town Hall")
    online_url = forms.URLField(
        required=False,
        max_length=500,
        label="Online joining link",
        assume_scheme="https",
        help_text="Shown only to people booked on the session",
    )
    capacity = forms.IntegerField(min_value=1, max_value=10000, label="Places", error_messages={
        "required": "Enter the number of places", "invalid": "Places must be a whole number, such as 25",
        "min_value": "Places must be 1 or more", "max_value": "Places must be 10,000 or fewer"})
    trainers = IdsField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Trainers must be in the course's pool and free at these times",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pool_people = TrainerPoolMembership.objects.values("person_id")
        self.fields["trainers"].queryset = Person.objects.filter(pk__in=pool_people).select_related("agency")
        self.fields["trainers"].label_from_instance = lambda p: f"{p.name} ({p.agency})"
        for n in range(1, MAX_PARTS + 1):
            required = n == 1
            self.fields[f"part{n}_date"] = GovukDateField(
                required=required, label=f"Part {n}: date", help_text="For example, 24 10 2025" if required else "",
                error_messages={"required": f"Enter the date of part {n}"})
            for end, word in (("start", "starts"), ("end", "ends")):
                self.fields[f"part{n}_{end}"] = forms.TimeField(
                    required=required, label=f"Part {n}: {word}", widget=forms.TimeInput(attrs={"type": "time"}),
                    error_messages={"required": f"Enter the time part {n} {word}",
                                    "invalid": f"Enter the time part {n} {word}, such as 09:30"})

    def parts(self) -> list[services.Part]:
        parts = []
        for n in range(1, MAX_PARTS + 1):
            day, start, end = (self.cleaned_data.get(f"part{n}_{x}") for x in ("date", "start", "end"))
            if day and start and end:
                parts.append(
                    services.Part(
                        datetime.combine(day, start, tzinfo=LONDON), datetime.combine(day, end, tzinfo=LONDON)
                    )
                )
            elif day or start or end:
                self.add_error(f"part{n}_date", f"Give part {n} a date, a start time and an end time, or none of them.")
        return parts

    @classmethod
    def initial_for(cls, session: Session, *, with_days: bool = True) -> dict:
        """The form's starting values from a session; without its days for a new session like it."""
        initial = {
            "course": session.course_id,
            "format": session.format,
            "venue": session.venue,
            "online_url": session.online_url,
            "capacity": session.capacity,
            "trainers": [a.person_id for a in session.allocations.all()],
        }
        for n, part in enumerate(session.parts.all(), start=1):
            start, end = to_london(part.starts_at), to_london(part.ends_at)
            initial |= {f"part{n}_start": start.time(), f"part{n}_end": end.time()}
            if with_days:
                initial[f"part{n}_date"] = start.date()
        return initial


def _apply(form: SessionForm, save) -> Session | None:
    """Run a service with the form's values; a broken rule becomes an error on the field it concerns."""
    if not form.is_valid():
        return None
    parts = form.parts()
    if form.errors:
        return None
    try:
        return save(form.cleaned_data, parts)
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else ("part1_date" if exc.field == "parts" else None)
        form.add_error(field, exc.message)
        return None


def session_new(request):
    """Schedule a session; `?like=<id>` starts from another session's details (course, format, venue, places,
    trainers and times), leaving the days to fill in, as partnerships run the same course again and again."""
    require(request.user, "manage_sessions")
    like_id = whole_number(request.GET.get("like"))
    like = (Session.objects.select_related("course").prefetch_related("parts", "allocations").filter(pk=like_id)
            .first() if like_id else None)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(like, with_days=False) if like else None)
    if request.method == "POST":
        session = _apply(
            form,
            lambda d, parts: services.schedule_session(
                d["course"],
                capacity=d["capacity"],
                parts=parts,
                format=d["format"],
                venue=d["venue"],
                online_url=d["online_url"],
                trainers=list(d["trainers"]),
            ),
        )
        if session:
            messages.success(request, f"Scheduled {session}.")
            return redirect(session)
    return render(request, "courses/session_form.html", {"form": form, "title": "Schedule a session", "like": like})


def session_edit(request, pk: int):
    require(request.user, "manage_sessions")
    session = get_object_or_404(Session.objects.prefetch_related("parts", "allocations"), pk=pk)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    form.fields["course"].disabled = True
    if request.method == "POST":
        changed = _apply(
            form,
            lambda d, parts: services.change_session(
                session,
                parts=parts,
                capacity=d["capacity"],
                format=d["format"],
                venue=d["venue"],
                online_url=d["online_url"],
                trainers=list(d["trainers"]),
            ),
        )
        if changed:
            messages.success(request, "Session changed. Everyone booked will get an updated invite.")
            return redirect(changed)
    return render(
        request, "courses/session_form.html", {"form": form, "title": f"Change {session}", "session": session}
    )


def session_cancel(request, pk: int):
    require(request.user, "manage_sessions")
    session = get_object_or_404(Session, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.cancel_session(session, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"Cancelled {session}. Everyone booked has been told; nobody is charged.")
            return redirect(session)
    return render(request, "courses/session_cancel.html", {"session": session, "error": error})


def programme(request):
    """The business unit's starting point: every management page, grouped by the job it does."""
    require(request.user, "manage_catalogue")
    now = timezone.now()
    page = Paginator(programme_sessions(now=now), PROGRAMME_PAGE_SIZE).get_page(request.GET.get("page"))
    for session in page.object_list:  # the booking rules' own words for each row
        session.window = booking_window(session, now=now)
        session.places_left = places_left(session)
    still_open = list(open_registers(ended_before=now).prefetch_related("allocations__person")[:50])
    return render(request, "courses/programme.html",
                  {"page": page, "sessions": page.object_list, "open_registers": still_open})
