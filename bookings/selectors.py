"""Reads about bookings."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from bookings.models import QUEUE_ORDER, Booking, holding_q, open_offer_q, status_q, waiting_q
from bookings.services.closing import Closing, from_other_partnerships, kept_for_others
from bookings.services.places import (
    first_partnership_id,
    kept_until,
    kept_words,
    open_places,
    places_are_kept,
    places_from,
    why_not_open_to,
)
from bookings.services.rules import (
    ADJUSTMENTS_LIMIT,
    needs_approval,
    why_booking_is_shut,
    why_prerequisites_missing,
)
from bookings.under_lock import kept_places_of
from charging.selectors import charge_for
from courses.models import Session
from lib.dates import to_london
from lib.money import pounds
from people import roles
from people.partnerships import home_partnership_id, is_network
from people.permissions import managed_agency_id, may, scope


def places_held(session, now=None) -> int:
    return Booking.objects.filter(session=session).holding_a_place(now).count()


def _count_subquery(condition: Q) -> Coalesce:
    counted = (
        Booking.objects.filter(condition, session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_booking_counts(sessions):
    """Annotate `held` (places taken) and `waitlist_length` with one subquery each, no N+1."""
    return sessions.annotate(
        held=_count_subquery(holding_q()),
        waitlist_length=_count_subquery(waiting_q()),
    )


class ViewerPlaces(NamedTuple):
    """A listed session's places as a viewer sees them."""

    places: int  # the places left that the viewer may book
    note: str  # the places kept for partnerships other than the viewer's, while kept ("" when none)
    free: int  # the places left in all, kept ones included: 0 only when the session is full


def places_for_viewer(sessions, person, *, now: datetime,
                      partnership_id: int | None = None) -> dict[int, ViewerPlaces]:
    """{session id: ViewerPlaces} for listed sessions (annotated with `held`, reservations prefetched with their
    partnerships), by the booking's rule (bookings.services.places): signed in, the general places and their own
    partnership's unused kept places; signed out, the general places only (on a hub of one, all of them).
    `partnership_id`: count as that partnership's people instead (the programme of the partnership the
    business unit runs). The note, e.g. "10 places kept for Halton until 5 March", names the places kept for
    other partnerships while they are kept. The same few queries however many sessions keep places; none when
    none does."""
    kept = [s for s in sessions if s.reservations.all() and places_are_kept(s, now=now)]
    home, found = None, {}
    if kept:
        first = first_partnership_id()
        found = kept_places_of([s.pk for s in kept], now=now, default_partnership_id=first)
        # on a hub of one, everyone who signs in is the one partnership's: nothing is kept from anyone
        home = partnership_id or (home_partnership_id(person) if is_network() else first)
    answers = {}
    for session in sessions:
        taken = getattr(session, "held", None)
        places = places_from(session, taken=places_held(session, now) if taken is None else taken,
                             found=found.get(session.pk, {}))
        names = {kept.partnership_id: kept.partnership.name for kept in session.reservations.all()}
        others = [(names[pid], n) for pid, n in sorted(places.kept.items(), key=lambda kv: names[kv[0]])
                  if pid != home]
        note = ""
        if others:
            shares = [f"{n} place{'' if n == 1 else 's'} kept for {name}" for name, n in others]
            note = f"{' and '.join(shares)} until {to_london(kept_until(session)):%-d %B}"
        answers[session.pk] = ViewerPlaces(places.for_partnership(home), note, places.free)
    return answers


def with_outcome_counts(sessions):
    """Annotate `came` (attended in full or in part) and `no_shows`, from the registers' outcomes."""
    return sessions.annotate(
        came=_count_subquery(Q(status__in=Booking.CAME)),
        no_shows=_count_subquery(status_q(Booking.Status.NO_SHOW)),
    )


def closing_effect(session) -> Closing:
    """What changing `session` (open to the network) to open only to its partnership would do now: a read, for
    the page that asks the business unit to confirm (bookings.services.closing); the change itself answers
    the same under the session's lock."""
    if session.open_to != Session.OpenTo.NETWORK:
        return Closing()
    others = session.bookings.filter(from_other_partnerships(session))
    keeping = others.filter(status__in=Booking.HOLDING).count()
    taken_off = others.filter(status=Booking.Status.WAITLISTED).count()
    return Closing(keeping, taken_off, kept_for_others(session))


def _waiting_ahead(waitlisted_at, pk) -> Q:
    """Who waits before a person, in QUEUE_ORDER: on the list earlier, or at the same moment with a lower id.

    Give plain values, or OuterRef("waitlisted_at") and OuterRef("pk") inside a subquery.
    """
    return waiting_q() & (
        Q(waitlisted_at__lt=waitlisted_at) | Q(waitlisted_at=waitlisted_at, pk__lt=pk)
    )


def waitlist_position(booking) -> int | None:
    """1 for the first in the queue; None when not waiting."""
    if booking.status != Booking.Status.WAITLISTED:
        return None
    ahead = Booking.objects.filter(_waiting_ahead(booking.waitlisted_at, booking.pk), session_id=booking.session_id)
    return ahead.count() + 1


def bookings_visible_to(person):
    """The bookings this person may see: their own, their sessions' (trainers), their agency's (managers), all."""

    bookings = Booking.objects.select_related("session__course", "person__agency")
    visible = Q(person=person) | Q(session__allocations__person=person)
    if may(person, "see_all_bookings"):
        if not is_network():
            return bookings
        # a network: the bookings on the sessions their partnerships deliver, beside their own
        delivered = scope(person, [roles.BUSINESS_UNIT, roles.FINANCE], "session__course__partnership")
        if not delivered:  # every partnership's (a superuser)
            return bookings
        visible |= delivered
    if agency_id := managed_agency_id(person):
        visible |= Q(person__agency_id=agency_id)
    return bookings.filter(visible).distinct()


MY_PLACE = {"confirmed": "You are booked", "pending_approval": "Waiting for approval",
            "waitlisted": "You are on the waiting list"}


def my_place_on(person, session_ids) -> dict[int, str]:
    """For listings: {session id: what the person's live booking there is, in words}, in one query."""
    if not getattr(person, "is_authenticated", False):
        return {}
    found = {}
    for booking in Booking.objects.filter(person=person, session_id__in=list(session_ids)).live():
        found[booking.session_id] = "A place is offered to you" if booking.has_open_offer else MY_PLACE[booking.status]
    return found


def my_bookings(person):
    """The person's bookings, each with `position` on its waiting list (None when not waiting), in one query."""
    ahead = (
        Booking.objects.filter(_waiting_ahead(OuterRef("waitlisted_at"), OuterRef("pk")), session=OuterRef("session"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Booking.objects.filter(person=person)
        .annotate(position=Case(When(status=Booking.Status.WAITLISTED,
                                     then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1)))
        .select_related("session__course__partnership", "session__register", "certificate", "evaluation")
        .prefetch_related("session__parts")
        .order_by("-session__starts_at")
    )


def open_offers(person, *, now) -> list[Booking]:
    """Places offered to `person` from a waiting list and still open to answer, soonest deadline first."""
    if not getattr(person, "is_authenticated", False):
        return []
    return list(
        Booking.objects.filter(open_offer_q(now), person=person)
        .select_related("session__course")
        .order_by("offer_expires_at")
    )


@dataclass
class SessionList:
    """Everyone on a session's list, by where they stand."""

    booked: list = field(default_factory=list)  # confirmed (or, after the register, its outcome), by name
    pending: list = field(default_factory=list)  # waiting for their line manager, soonest deadline first
    waiting: list = field(default_factory=list)  # the waiting list in QUEUE_ORDER, each with `position`
    ended: list = field(default_factory=list)  # cancelled or late-cancelled, latest first


def session_list(session) -> SessionList:
    """The business unit's list of a session's bookings, in one query."""
    found = SessionList()
    bookings = (
        Booking.objects.filter(session=session)
        .select_related("person__agency")
        .order_by(*QUEUE_ORDER)
    )
    for booking in bookings:
        if booking.status == Booking.Status.WAITLISTED:
            booking.position = len(found.waiting) + 1
            found.waiting.append(booking)
        elif booking.status == Booking.Status.PENDING_APPROVAL:
            found.pending.append(booking)
        elif booking.status in (Booking.Status.CANCELLED, Booking.Status.LATE_CANCELLED):
            found.ended.append(booking)
        else:
            found.booked.append(booking)
    found.booked.sort(key=lambda b: (b.person.name.lower(), b.pk))
    found.pending.sort(key=lambda b: (b.approval_expires_at is None, b.approval_expires_at or b.booked_at, b.pk))
    found.ended.sort(key=lambda b: (b.cancelled_at or b.booked_at, b.pk), reverse=True)
    return found


def agency_upcoming(agency, *, now: datetime) -> list[Booking]:
    """The agency's staff's places on sessions not yet over (booked, waiting for approval, on the waiting
    list), soonest first, each with `place` in words (the status's own label, or an open offer): what an
    agency manager plans staffing around."""
    bookings = list(
        Booking.objects.live()
        .filter(person__agency=agency, session__ends_at__gte=now)
        .select_related("session__course__partnership", "person")
        .order_by("session__starts_at", "session_id", "person__name", "pk")
    )
    for booking in bookings:
        booking.place = "A place is offered" if booking.has_open_offer else booking.get_status_display()
    return bookings


def booking_panel(session, person, *, draft: dict | None, just_booked: int | None, now: datetime) -> dict:
    """What a session's page shows `person` about their own place: why booking is shut or what is missing,
    their booking and place in the queue (and whether they booked it just now: `just_booked`, the id the
    booking left), whether their line manager approves, the charge they risk, and the booking form's
    `draft` when it was for this session."""
    mine = Booking.objects.filter(session=session, person=person).live().first()
    home = home_partnership_id(person)
    not_open = why_not_open_to(session, home) if not mine else None
    shut = why_booking_is_shut(session, now=now)
    charge = charge_for(person.agency, session)
    return {
        "not_open": not_open,
        "booking_shut": shut,
        # said before the person fills in the form, not after they press Book
        "prerequisites_missing": why_prerequisites_missing(session, person) if not (mine or shut) else None,
        "my_booking": mine,
        "just_booked": mine is not None and just_booked == mine.pk,
        "position": waitlist_position(mine) if mine else None,
        "needs_manager": needs_approval(person),
        "charge": pounds(charge) if charge is not None else None,
        "adjustments_limit": ADJUSTMENTS_LIMIT,
        "draft": draft if draft and draft.get("session") == session.pk else {},
    } | _places_for(session, home, now=now)


def _places_for(session, home: int, *, now: datetime) -> dict:
    """While the session keeps places for partnerships: the free places this person's partnership may take
    (`places`, in place of all the free places), and the words for when every free one is kept for others."""
    if not session.reservations.all() or not places_are_kept(session, now=now):
        return {}
    taken = getattr(session, "held", None)
    places = open_places(session, taken=places_held(session, now) if taken is None else taken, now=now,
                         default_partnership_id=first_partnership_id())
    mine = places.for_partnership(home)
    return {"places": mine, "kept_for_others": kept_words(session, places) if places.free and not mine else None}
