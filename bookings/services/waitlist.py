"""The waiting list: first come, first served; offers inside the notice period."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from bookings.models import QUEUE_ORDER, Booking
from bookings.services.approval import request_approval
from bookings.services.notices import tell
from bookings.services.places import first_partnership_id, home_of, open_places
from bookings.services.rules import (
    booking_settings,
    end_at_no_charge,
    is_late_cancellation,
    needs_approval,
    repeat_no_show_approver,
)
from bookings.transitions import move
from courses.models import Session, SessionReservation
from lib.errors import Conflict


def _next_in_queue(session: Session):
    return (
        session.bookings.select_for_update(of=("self",))
        .waiting().filter(offer_expires_at=None)
        .select_related("person__agency", "session__course")
        .order_by(*QUEUE_ORDER)
        .first()
    )


def _confirm(booking: Booking, *, now: datetime) -> None:
    """Give a waiting person the place: confirmed, or held for their line manager when the agency asks."""
    booking.offer_expires_at = None
    approver = repeat_no_show_approver(booking.person, now=now, session=booking.session)
    if approver:
        booking.line_manager_email = approver
    if (needs_approval(booking.person) or approver) and booking.line_manager_email:
        move(booking, Booking.Status.PENDING_APPROVAL)
        request_approval(booking, now=now)
    else:
        move(booking, Booking.Status.CONFIRMED)
        tell(booking, "promoted", invite="REQUEST")


def promote_from_waitlist(session: Session, *, now: datetime | None = None) -> list[Booking]:
    """Fill free places from the waiting list, in order.

    Outside the notice period the first person is booked at once. Inside it they get an offer
    to accept by a deadline, so nobody is charged for a place they never chose. No offer is made
    once the session has started. While the session keeps places for partnerships (places.py), a
    kept place goes only to the first waiting person of that partnership, and a general one to the
    first waiting person of any. Call inside the transaction that freed the place.
    """
    now = now or timezone.now()
    kept = Exists(SessionReservation.objects.filter(session_id=OuterRef("pk")))
    session = (Session.objects.select_for_update(of=("self",)).select_related("course")
               .annotate(has_reservations=kept).get(pk=session.pk))
    if session.status != Session.Status.SCHEDULED or session.starts_at <= now:
        return []
    taken = session.bookings.holding_a_place(now).count()
    if taken >= session.capacity:
        return []
    if not session.has_reservations:
        return _promote_in_order(session, session.capacity - taken, now=now)
    default = first_partnership_id()
    places = open_places(session, taken=taken, now=now, default_partnership_id=default)
    if not places.kept:
        return _promote_in_order(session, places.free, now=now)
    promoted = []
    for booking in _queue(session):
        if places.free <= 0:
            break
        home = home_of(booking.person, default)
        if places.for_partnership(home) <= 0:
            continue  # the places left are kept for other partnerships: this person keeps their turn
        places.take(home)
        _give_place(booking, session, now=now)
        promoted.append(booking)
    return promoted


def _promote_in_order(session: Session, free: int, *, now: datetime) -> list[Booking]:
    promoted = []
    while free > 0:
        booking = _next_in_queue(session)
        if booking is None:
            break
        _give_place(booking, session, now=now)
        promoted.append(booking)
        free -= 1
    return promoted


def _queue(session: Session) -> list[Booking]:
    """Everyone waiting without an open offer, in order, their rows locked."""
    return list(session.bookings.select_for_update(of=("self",)).waiting().filter(offer_expires_at=None)
                .select_related("person__agency", "session__course").order_by(*QUEUE_ORDER))


def _give_place(booking: Booking, session: Session, *, now: datetime) -> None:
    """The place itself inside the notice period is an offer to accept by a deadline; before it, a booking."""
    if is_late_cancellation(session, now=now):
        hours = booking_settings(session.course.partnership_id).offer_hours
        booking.offer_expires_at = min(now + timedelta(hours=hours), session.starts_at)
        booking.save()
        tell(booking, "offer", deadline=booking.offer_expires_at)
    else:
        _confirm(booking, now=now)


def release_kept_places(*, now: datetime | None = None) -> int:
    """The sweep: once a session's kept places are released (at `reserved_until`, else the booking close),
    the places nobody took go to the people waiting, in order. Booking already treats them as everyone's
    from that moment (places.py), and a newcomer promotes those waiting first, so a late run changes only
    when the people waiting hear. Safe to run any number of times: a session with nothing free or nobody
    waiting is left alone. Returns how many people were given a place or an offer."""
    now = now or timezone.now()
    waiting = Booking.objects.filter(session_id=OuterRef("pk"), status=Booking.Status.WAITLISTED,
                                     offer_expires_at=None)
    released = (Q(reserved_until__lte=now) | Q(reserved_until=None, booking_closes_at__lte=now))
    ids = list(Session.objects.scheduled().filter(released, starts_at__gt=now)
               .filter(Exists(SessionReservation.objects.filter(session_id=OuterRef("pk"))), Exists(waiting))
               .values_list("pk", flat=True))
    given = 0
    for session_id in ids:
        with transaction.atomic():
            given += len(promote_from_waitlist(Session(pk=session_id), now=now))
    return given


def _open_offer(booking: Booking, *, now: datetime) -> Booking:
    booking = Booking.objects.select_for_update(of=("self",)).select_related("session__course", "person__agency").get(
        pk=booking.pk)
    if booking.status != Booking.Status.WAITLISTED or booking.offer_expires_at is None:
        raise Conflict("There is no open offer of a place on this booking.")
    if booking.offer_expires_at <= now:
        raise Conflict("This offer has lapsed and the place has gone to the next person waiting.")
    return booking


@transaction.atomic
def accept_offer(booking: Booking, *, now: datetime | None = None) -> Booking:
    """Take an offered place (it is then a booking like any other). Raises Conflict for a lapsed offer."""
    now = now or timezone.now()
    booking = _open_offer(booking, now=now)
    _confirm(booking, now=now)
    return booking


@transaction.atomic
def decline_offer(booking: Booking, *, now: datetime | None = None) -> Booking:
    """Turn an offer down: off the waiting list at no charge; the place goes to the next person."""
    now = now or timezone.now()
    booking = _open_offer(booking, now=now)
    end_at_no_charge(booking, reason="declined the offer of a place", now=now)
    promote_from_waitlist(booking.session, now=now)
    return booking


def expire_offers(*, now: datetime | None = None) -> int:
    """The sweep: an unanswered offer lapses (no charge) and passes to the next person waiting."""
    now = now or timezone.now()
    lapsed = 0
    ids = list(Booking.objects.filter(status=Booking.Status.WAITLISTED, offer_expires_at__lte=now)
               .values_list("pk", flat=True))
    for booking_id in ids:
        with transaction.atomic():
            booking = Booking.objects.select_for_update(of=("self",)).select_related("session__course", "person").get(
                pk=booking_id)
            if booking.status != Booking.Status.WAITLISTED or not booking.offer_expires_at or (
                    booking.offer_expires_at > now):
                continue  # answered meanwhile
            end_at_no_charge(booking, reason="offer of a place not answered in time", now=now)
            tell(booking, "offer_lapsed")
            promote_from_waitlist(booking.session, now=now)
            lapsed += 1
    return lapsed
