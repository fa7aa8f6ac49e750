from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bookings import invites, selectors, services
from bookings.models import Booking
from bookings.services import notices
from bookings.services.approval import read_token
from bookings.services.notices import MESSAGE_LIMIT
from certificates.selectors import with_next_steps
from charging.selectors import charge_for
from courses.models import Session
from courses.selectors import CalendarFilters, calendar_for, sessions_for_calendar
from lib.dates import to_london
from lib.errors import DomainError
from lib.exports import DOWNLOADS, as_csv
from lib.forms import limited_text
from lib.money import pounds
from people.models import Person
from people.partnerships import is_network
from people.permissions import may, require
from people.selectors import partnership_named
from people.services import choose_calendar_invites, renew_calendar_token


def _own(request, pk: int, action: str) -> Booking:
    booking = get_object_or_404(Booking.objects.select_related("session__course", "person__agency"), pk=pk)
    if not may(request.user, action, booking):
        raise Http404  # someone else's booking is not visible here
    return booking


BOOKING_DRAFT = "booking_draft"  # what a refused booking form held, for the session page to give back
JUST_BOOKED = "just_booked"  # the booking just made, which the session page's "Your place" confirms


@login_required
@require_POST
def book(request, pk: int):
    session = get_object_or_404(Session, pk=pk)
    try:
        booking = services.book_place(session, request.user,
                                      line_manager_email=request.POST.get("line_manager_email", ""),
                                      adjustments=request.POST.get("adjustments", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        # Nothing typed is lost: the session page gives it back, beside the error.
        request.session[BOOKING_DRAFT] = {
            "session": session.pk, "adjustments": request.POST.get("adjustments", "")[:10000],
            "line_manager_email": request.POST.get("line_manager_email", "")[:254],
            "field": exc.field, "error": exc.message,  # shown on the field it concerns, too
        }
        return redirect(session)
    # One confirmation, in the "Your place" section where the person pressed the button (the page
    # opens there), rather than a banner at the top as well as the panel.
    request.session[JUST_BOOKED] = booking.pk
    return redirect(session.get_absolute_url() + "#your-place")


@login_required
def my_bookings(request):
    bookings = list(selectors.my_bookings(request.user))
    now = timezone.now()
    upcoming, past = [], []
    for booking in bookings:
        (upcoming if booking.session.ends_at >= now and booking.is_live else past).append(booking)
    past = with_next_steps(past)
    upcoming.sort(key=lambda b: b.session.starts_at)
    feed_url = request.build_absolute_uri(f"/calendar/feed/{request.user.calendar_token}.ics")
    worked = request.user.worked_through.select_related("resource").order_by("-at")
    return render(request, "bookings/my_bookings.html", {"upcoming": upcoming, "past": past, "feed_url": feed_url,
                                                         "worked": worked, "network": is_network()})


@login_required
def cancel(request, pk: int):
    booking = _own(request, pk, "cancel_booking")
    now = timezone.now()
    late = services.cancelling_would_be_late(booking, now=now)
    charge = charge_for(booking.person.agency, booking.session) if late else None
    amount = pounds(charge) if charge is not None else None
    if request.method == "POST":
        try:
            services.cancel_booking(booking, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Your booking is cancelled." + (
                " It was inside the notice period, so your agency may be charged." if amount
                else " There is no charge."))
        return redirect("my_bookings")
    return render(request, "bookings/cancel.html", {
        "booking": booking, "late": late, "amount": amount,
    })


@login_required
def hand_over(request, pk: int):
    booking = _own(request, pk, "hand_over_booking")
    error = field = None
    if request.method == "POST":
        try:
            new = services.hand_over_booking(booking, to_email=request.POST.get("email", ""),
                                             line_manager_email=request.POST.get("line_manager_email", ""))
        except DomainError as exc:
            error, field = exc.message, exc.field if exc.field == "line_manager_email" else "email"
        else:
            if new.status == Booking.Status.PENDING_APPROVAL:
                messages.success(request, f"Your place is held for {new.person.name} while their line manager "
                                          "approves it. We have told you both.")
            else:
                messages.success(request, f"Your place is now {new.person.name}'s. We have told you both.")
            return redirect("my_bookings")
    return render(request, "bookings/hand_over.html", {
        "booking": booking, "error": error, "field": field, "email": request.POST.get("email", ""),
        "line_manager_email": request.POST.get("line_manager_email", ""),
        "approval": services.needs_approval(booking.person)})


@login_required
def offer(request, pk: int):
    booking = _own(request, pk, "answer_offer")
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                booking = services.accept_offer(booking)
                booking.refresh_from_db(fields=["invite_sequence"])
                messages.success(request, "You accepted the place. " + (
                    "We have emailed you a calendar invite." if booking.invite_emailed
                    else "It is in your calendar feed: you chose the feed instead of invites."))
            else:
                services.decline_offer(booking)
                messages.success(request, "You declined the place. It has gone to the next person waiting.")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("my_bookings")
    return render(request, "bookings/offer.html", {"booking": booking})


def approval(request, token: str):
    """The line manager's page: no account needed; a GET never decides (mail scanners follow links)."""
    try:
        booking, decision = read_token(token)
    except DomainError as exc:
        return render(request, "bookings/approval.html", {"error": exc.message}, status=400)
    if request.method == "POST":
        try:
            booking = services.decide_approval(token)
        except DomainError as exc:
            return render(request, "bookings/approval.html", {"error": exc.message, "booking": booking}, status=409)
        return render(request, "bookings/approval.html", {"booking": booking, "done": True})
    return render(request, "bookings/approval.html", {"booking": booking, "decision": decision})


def public_feed(request):
    """Every scheduled session; on a network hub, the network feed (the sessions open to the whole network), or
    with ?partnership=SLUG all that partnership's sessions."""
    slug = request.GET.get("partnership", "")
    partnership = None
    if slug:
        partnership = partnership_named(slug)
        if partnership is None:
            raise Http404("No partnership has that name in its address: check the link.")
    network = is_network()
    sessions = calendar_for(sessions_for_calendar(CalendarFilters()), None, network=network, partnership=partnership)
    name = partnership.name if network and partnership else ""
    return HttpResponse(invites.sessions_feed(sessions, name=name), content_type="text/calendar; charset=utf-8")


def personal_feed(request, token: str):
    person = Person.objects.filter(calendar_token=token, is_active=True).first()
    if person is None:
        raise Http404("No calendar has that address: it may have been renewed.")
    bookings = (Booking.objects.filter(person=person, status=Booking.Status.CONFIRMED)
                .select_related("session__course").prefetch_related("session__parts"))
    return HttpResponse(invites.personal_feed(bookings), content_type="text/calendar; charset=utf-8")


class SessionMessageForm(forms.Form):
    """What to send; notices.message_everyone checks it (required, limits) and its words go on the fields."""

    subject = forms.CharField(required=False, help_text="For example: Room change: now in the Council Chamber")
    body = limited_text(MESSAGE_LIMIT, label="Message", named="The message", required=False, rows=6,
                        help_text="Each email also gives the session's details and a link to their bookings")
    include_waiting = forms.BooleanField(required=False, label="Send it to the waiting list too")


@login_required
def session_bookings(request, pk: int):
    """The business unit's list of who is booked, waiting and cancelled on a session; as CSV on request;
    and a message to everyone booked."""
    require(request.user, "manage_sessions")
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    require(request.user, "manage_sessions", session)
    form = SessionMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = notices.message_everyone(session, subject=data["subject"], body=data["body"], by=request.user,
                                            include_waiting=data["include_waiting"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Your message is on its way to {sent.recipients} "
                                      f"{'person' if sent.recipients == 1 else 'people'}.")
            return redirect("session_bookings", pk=session.pk)
    found = selectors.session_list(session)
    if request.GET.get("format") == "csv":
        return as_csv(_list_table(session, found))
    return render(request, "bookings/session_bookings.html", {
        "session": session, "list": found, "held": selectors.places_held(session), "form": form,
        "sent": session.messages.select_related("sent_by"),
    })


def _list_table(session, found) -> dict:
    def row(booking, **extra):
        return {"status": booking.get_status_display(), "name": booking.person.name, "email": booking.person.email,
                "job_title": booking.person.job_title, "agency": str(booking.person.agency or ""),
                "booked_at": f"{to_london(booking.booked_at):%Y-%m-%d %H:%M}",
                "line_manager": booking.line_manager_email, "adjustments": booking.adjustments} | extra

    return {
        "name": f"session-{session.pk}-bookings",
        "columns": [("status", "Status"), ("position", "Waiting list position"), ("name", "Name"),
                    ("email", "Email"), ("job_title", "Job title"), ("agency", "Agency"),
                    ("booked_at", "Booked (London time)"), ("line_manager", "Line manager's email"),
                    ("adjustments", "Adjustments")],
        "rows": [row(b) for b in found.booked] + [row(b) for b in found.pending]
        + [row(b, position=b.position) for b in found.waiting] + [row(b) for b in found.ended],
    }


@login_required
@require_POST
def calendar_invites(request):
    """The person's choice: calendar invites by email, or the personal feed alone."""
    require(request.user, "choose_calendar_invites")
    choice = request.POST.get("calendar_invites")
    if choice not in ("email", "feed"):
        messages.error(request, "Choose calendar invites by email, or the calendar feed only.")
    else:
        choose_calendar_invites(request.user, invites=choice == "email")
        messages.success(request, "We will send calendar invites with your booking emails." if choice == "email"
                         else "We will send no calendar invites with bookings from now on: your calendar feed "
                              "shows them.")
    return redirect(reverse("my_bookings") + "#calendar")


@login_required
@require_POST
def renew_feed(request):
    renew_calendar_token(request.user)
    messages.success(request, "Your calendar address is renewed: the old one no longer works.")
    return redirect("my_bookings")


def booking_panel(request, session) -> dict:
    """What the session page shows the signed-in person about their own place (bookings.selectors.booking_panel),
    with what a refused booking form held, given back once."""
    if not request.user.is_authenticated:
        return {}
    return selectors.booking_panel(session, request.user, draft=request.session.pop(BOOKING_DRAFT, None),
                                   just_booked=request.session.pop(JUST_BOOKED, None), now=timezone.now())


@login_required
def agency_bookings(request):
    """An agency manager's view of their staff's places on sessions to come; as CSV or Excel on request."""
    require(request.user, "view_agency_bookings")
    agency = request.user.agency
    bookings = selectors.agency_upcoming(agency, now=timezone.now())
    export = request.GET.get("export")
    network = is_network()  # on a network, each session names the partnership delivering it
    if export in DOWNLOADS:
        columns = [("starts", "Session starts (London time)"), ("course", "Course")]
        columns += [("delivered_by", "Delivered by")] if network else []
        table = {
            "name": f"bookings-{agency.code}",
            "columns": columns + [("person", "Person"), ("email", "Email"), ("job_title", "Job title"),
                                  ("place", "Place")],
            "rows": [{"starts": f"{to_london(b.session.starts_at):%Y-%m-%d %H:%M}", "course": b.session.course.title,
                      "delivered_by": b.session.course.partnership.name,
                      "person": b.person.name, "email": b.person.email, "job_title": b.person.job_title,
                      "place": b.place} for b in bookings],
        }
        return DOWNLOADS[export](table)
    return render(request, "bookings/agency_bookings.html", {"agency": agency, "bookings": bookings,
                                                             "network": network})
