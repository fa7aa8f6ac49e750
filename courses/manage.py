"""The business unit's pages: its starting point, and scheduling, changing and cancelling sessions."""

import re
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from attendance.selectors import open_registers
from bookings.selectors import closing_effect, places_for_viewer
from bookings.services.rules import booking_window
from courses import services
from courses.models import Course, Session, TrainerPoolMembership
from courses.selectors import programme_sessions
from lib.dates import LONDON, to_london
from lib.errors import DomainError
from lib.forms import GovukDateField, IdsField
from lib.params import whole_number
from people.acting import acting_partnership, choose_partnership, partnerships_acted_for
from people.models import Partnership, Person
from people.partnerships import is_network, masthead
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

    def __init__(self, data=None, *args, partnership=None, **kwargs):
        # GOV.UK's add-another pattern, without JavaScript: "Add another part" and "Remove part N" send the form
        # back to be shown again with one part more or less, saving nothing.
        self.adding_part = bool(data and "add_part" in data)
        removing = whole_number(data.get("remove_part")) if data else None
        if removing:
            data = _without_part(data, removing)
        self.changing_parts = self.adding_part or bool(removing)
        super().__init__(data, *args, **kwargs)
        pool = TrainerPoolMembership.objects.all()
        if partnership is not None:  # the courses and pools of the partnership the business unit acts for
            self.fields["course"].queryset = Course.objects.filter(is_active=True, partnership=partnership)
            pool = pool.filter(course__partnership=partnership)
        pool_people = pool.values("person_id")
        self.fields["trainers"].queryset = Person.objects.filter(pk__in=pool_people).select_related("agency")
        self.fields["trainers"].label_from_instance = lambda p: f"{p.name} ({p.agency})"
        soon = timezone.localdate() + timedelta(days=28)  # an example that is a date to come
        example = f"For example, {soon.day} {soon.month} {soon.year}"
        for n in range(1, MAX_PARTS + 1):
            required = n == 1
            self.fields[f"part{n}_date"] = GovukDateField(
                required=required, label=f"Part {n}: date", help_text=example,
                error_messages={"required": f"Enter the date of part {n}"})
            for end, word in (("start", "starts"), ("end", "ends")):
                self.fields[f"part{n}_{end}"] = forms.TimeField(
                    required=required, label=f"Part {n}: {word}", widget=forms.TimeInput(attrs={"type": "time"}),
                    error_messages={"required": f"Enter the time part {n} {word}",
                                    "invalid": f"Enter the time part {n} {word}, such as 09:30"})
        self.parts_shown = self._parts_shown(removed=bool(removing))
        self.partnerships = list(Partnership.objects.order_by("pk")) if is_network() else []
        if self.partnerships:
            self._add_network_fields(example)

    def _add_network_fields(self, example: str) -> None:
        """Who may book, and places kept per partnership: asked only on a hub of several partnerships."""
        self.fields["open_to"] = forms.ChoiceField(
            choices=Session.OpenTo.choices, initial=Session.OpenTo.PARTNERSHIP, widget=forms.RadioSelect,
            label="Open to", error_messages={"required": "Select who may book"})
        for partnership in self.partnerships:
            self.fields[f"reserve_{partnership.pk}"] = forms.IntegerField(
                required=False, min_value=0, max_value=10000, label=f"Places reserved for {partnership.name}",
                help_text="Optional: only its people can take them until the time below",
                error_messages={"invalid": "Reserved places must be a whole number, such as 4",
                                "min_value": "Reserved places must be 0 or more",
                                "max_value": "Reserved places must be 10,000 or fewer"})
        self.fields["reserved_until_date"] = GovukDateField(
            required=False, label="Reserved places are kept until: date",
            help_text=f"Optional: unused reserved places then go to anyone. Leave empty to keep them until "
            f"bookings close. {example}")
        self.fields["reserved_until_time"] = forms.TimeField(
            required=False, label="Reserved places are kept until: time",
            widget=forms.TimeInput(attrs={"type": "time"}),
            error_messages={"invalid": "Enter the time reserved places are kept until, such as 17:00"})

    def network_fields(self) -> list:
        return [self[name] for name in self.fields if name == "open_to" or name.startswith("reserve_")]

    def network_values(self) -> dict:
        """open_to, reserved_places {slug: places} and reserved_until for the services; nothing on a hub of one."""
        if not self.partnerships:
            return {}
        data = self.cleaned_data
        day, at = data.get("reserved_until_date"), data.get("reserved_until_time")
        if bool(day) != bool(at):
            self.add_error("reserved_until_date", "Give both the date and the time reserved places are kept until, "
                                                  "or neither.")
        return {
            "open_to": data["open_to"],
            "reserved_places": {p.slug: data.get(f"reserve_{p.pk}") or 0 for p in self.partnerships},
            "reserved_until": datetime.combine(day, at, tzinfo=LONDON) if day and at else None,
        }

    def _parts_shown(self, *, removed: bool) -> int:
        """How many parts the page shows: those with anything in them, and at least as many as it showed
        before (an empty part just added stays), one more after "Add another part", one fewer after "Remove"."""
        values = self.data if self.is_bound else self.initial
        used = [n for n in range(1, MAX_PARTS + 1)
                if any(value for key, value in values.items() if key.startswith(f"part{n}_"))]
        before = (whole_number(self.data.get("parts")) or 1) if self.is_bound else 1
        shown = max([*used, before - 1 if removed else before]) + (1 if self.adding_part else 0)
        return min(max(shown, 1), MAX_PARTS)

    def part_groups(self) -> list[dict]:
        """The parts the page shows, each with its date and times; only the first is required."""
        return [{"number": n, "optional": n > 1, "fields": [self[f"part{n}_{x}"] for x in ("date", "start", "end")]}
                for n in range(1, self.parts_shown + 1)]

    def fields_before_parts(self) -> list:
        return [field for field in self.visible_fields() if not field.name.startswith(("part", "reserve"))
                and field.name not in ("trainers", "open_to")]

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
        initial["open_to"] = session.open_to
        for kept in session.reservations.all():
            initial[f"reserve_{kept.partnership_id}"] = kept.places
        if session.reserved_until:
            until = to_london(session.reserved_until)
            initial |= {"reserved_until_date": until.date(), "reserved_until_time": until.time()}
        for n, part in enumerate(session.parts.all(), start=1):
            start, end = to_london(part.starts_at), to_london(part.ends_at)
            initial |= {f"part{n}_start": start.time(), f"part{n}_end": end.time()}
            if with_days:
                initial[f"part{n}_date"] = start.date()
        return initial


def _without_part(data, removed: int):
    """The form's values with part `removed` taken out and the parts after it moved up one."""
    kept = data.copy()
    for key in data:
        match = re.fullmatch(r"part(\d+)_(\w+)", key)
        if match and int(match[1]) >= removed:
            del kept[key]
    for key in data:
        match = re.fullmatch(r"part(\d+)_(\w+)", key)
        if match and int(match[1]) > removed:
            kept.setlist(f"part{int(match[1]) - 1}_{match[2]}", data.getlist(key))
    return kept


def _apply(form: SessionForm, save) -> Session | None:
    """Run a service with the form's values; a broken rule becomes an error on the field it concerns.
    Adding or removing a part saves nothing and shows no errors: the form comes back to be finished."""
    if form.changing_parts:
        form.errors.clear()
        return None
    if not form.is_valid():
        return None
    parts = form.parts()
    network = form.network_values()
    if form.errors:
        return None
    try:
        return save(form.cleaned_data | {"network": network}, parts)
    except DomainError as exc:
        form.add_error(_field_for(form, exc.field), exc.message)
        return None


def _field_for(form: SessionForm, field: str | None) -> str | None:
    """The form's field a service's error concerns."""
    if field in form.fields:
        return field
    if field == "reserved_places":  # the first partnership given places
        given = [p for p in form.partnerships if form.cleaned_data.get(f"reserve_{p.pk}")] or form.partnerships
        return f"reserve_{given[0].pk}" if given else None
    mapped = {"parts": "part1_date", "reserved_until": "reserved_until_date"}.get(field)
    return mapped if mapped in form.fields else None


def session_new(request):
    """Schedule a session; `?like=<id>` starts from another session's details (course, format, venue, places,
    trainers and times), leaving the days to fill in, as partnerships run the same course again and again."""
    require(request.user, "manage_sessions")
    partnership = acting_partnership(request)
    like_id = whole_number(request.GET.get("like"))
    like = (Session.objects.select_related("course").prefetch_related("parts", "allocations", "reservations")
            .filter(pk=like_id, course__partnership=partnership).first() if like_id else None)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(like, with_days=False) if like else None,
                       partnership=partnership)
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
                **d["network"],
            ),
        )
        if session:
            messages.success(request, f"Scheduled {session}.")
            return redirect(session)
    return render(request, "courses/session_form.html", {"form": form, "title": "Schedule a session", "like": like,
                                                         "max_parts": MAX_PARTS})


def _closing(session: Session, form: SessionForm) -> bool:
    """Whether the posted form changes a session open to the network to open only to its partnership."""
    return bool(form.partnerships) and session.open_to == Session.OpenTo.NETWORK and (
        form.data.get("open_to") == Session.OpenTo.PARTNERSHIP)


def _without_others_kept(session: Session, network: dict) -> dict:
    """The places a session opened only to its partnership keeps: the delivering partnership's, and not those
    kept for others as they were (they are dropped, as the page said); a number changed for another stays, for
    the service to refuse on its field."""
    before = {kept.partnership.slug: kept.places for kept in session.reservations.all()}
    ours = session.course.partnership.slug
    kept = {slug: n for slug, n in network["reserved_places"].items() if slug == ours or n != before.get(slug, 0)}
    return network | {"reserved_places": kept}


def session_edit(request, pk: int):
    require(request.user, "manage_sessions")
    session = get_object_or_404(
        Session.objects.select_related("course__partnership")
        .prefetch_related("parts", "allocations", "reservations__partnership"), pk=pk)
    require(request.user, "manage_sessions", session)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session),
                       partnership=session.course.partnership)
    form.fields["course"].disabled = True
    closing = None  # what opening the session only to its partnership would do, said before it is done
    if request.method == "POST":
        asked = _closing(session, form)
        effect = closing_effect(session) if asked else None
        confirmed = request.POST.get("confirm_closing") == "yes"

        def save(d, parts):
            nonlocal closing
            if effect and not confirmed:
                closing = effect  # the page asks first
                return None
            network = _without_others_kept(session, d["network"]) if asked else d["network"]
            return services.change_session(
                session, parts=parts, capacity=d["capacity"], format=d["format"], venue=d["venue"],
                online_url=d["online_url"], trainers=list(d["trainers"]), **network)

        changed = _apply(form, save)
        if changed:
            messages.success(request, " ".join(["Session changed. Everyone booked will get an updated invite.",
                                                *(changed.closing.words(done=True) if changed.closing else [])]))
            return redirect(changed)
    return render(
        request, "courses/session_form.html",
        {"form": form, "title": f"Change {session}", "session": session, "max_parts": MAX_PARTS,
         "closing": closing.words(done=False) if closing else None}
    )


def session_cancel(request, pk: int):
    require(request.user, "manage_sessions")
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    require(request.user, "manage_sessions", session)
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
    if request.method == "POST":
        return _choose_partnership(request)
    partnership = acting_partnership(request)
    now = timezone.now()
    sessions = programme_sessions(now=now).filter(course__partnership=partnership)
    page = Paginator(sessions, PROGRAMME_PAGE_SIZE).get_page(request.GET.get("page"))
    places = places_for_viewer(page.object_list, request.user, now=now, partnership_id=partnership.pk)
    for session in page.object_list:  # the booking rules' own words for each row
        session.window = booking_window(session, now=now)
        _, session.kept_note, session.places_left = places[session.pk]  # full only when no place is left
    still_open = list(open_registers(ended_before=now).filter(course__partnership=partnership)
                      .prefetch_related("allocations__person")[:50])
    return render(request, "courses/programme.html", {
        "page": page, "sessions": page.object_list, "open_registers": still_open,
        "partnership": partnership, "partnerships": partnerships_acted_for(request.user),
        "masthead": masthead(partnership)})  # the programme of one partnership names it


def _choose_partnership(request):
    """The business unit of several partnerships chooses which one it runs the programme for."""
    chosen = choose_partnership(request, whole_number(request.POST.get("partnership")))
    if chosen is None:
        messages.error(request, "Choose one of the partnerships you run the programme for.")
    else:
        messages.success(request, f"You are running the programme for {chosen.name}.")
    return redirect("programme")
