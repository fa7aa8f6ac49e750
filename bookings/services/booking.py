"""Booking a place and cancelling it."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings.models import Booking
from bookings.services.approval import check_line_manager_email, request_approval
from bookings.services.notices import tell
from bookings.services.places import Places, home_of, kept_words, open_places, places_are_kept
from bookings.services.rules import (
    ADJUSTMENTS_LIMIT,
    ALREADY_BOOKED,
    cancelling_would_be_late,
    check_can_book,
    check_open_to,
    end_at_no_charge,
    needs_approval,
    no_shows_since,
    repeat_no_show_approver,
)
from bookings.services.waitlist import promote_from_waitlist
from bookings.transitions import create, move
from bookings.under_lock import count_facts, lock_session
from charging.selectors import RepeatNoShowRule
from charging.services import raise_charge
from courses.models import Session
from lib.errors import Conflict, Invalid


def book_place(session: Session | int, person, *, line_manager_email: str = "", adjustments: str = "",
               now: datetime | None = None) -> Booking:
    """Give `person` a place on `session` (a Session or its id), or a place on its waiting list.

    Lock the session row, then count, then create, so two people can never take the last place, nor a place
    the session keeps for another partnership (places.py).
    `adjustments`: what the person needs to take part, for the trainers (optional).
    Raises Session.DoesNotExist for an unknown id; NotAllowed (403, naming the partnership) when the session
    is open only to another partnership's people; Conflict (409) for a closed, cancelled, started,
    full-without-list or already-booked session or a missing prerequisite; Invalid (400) when the line
    manager's email is needed and missing or not someone else's work address
    (approval.check_line_manager_email), or the adjustments run past ADJUSTMENTS_LIMIT characters.
    """
    adjustments = _checked_adjustments(adjustments)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Lock, then count: two people can never both see 29 of 30 taken.
            session, rule = lock_session(getattr(session, "pk", session))
            counts = count_facts(session.pk, person.pk, now=now, no_shows_since=no_shows_since(rule, now=now))
            home = home_of(person, session.default_partnership_id)
            check_open_to(session, home)  # who may book comes before anything they typed
            approval, line_manager_email = _approval(person, line_manager_email, now=now, rule=rule,
                                                     recent_no_shows=counts["recent_no_shows"])
            check_can_book(session, person, now=now, live_here=bool(counts["live_here"]),
                           prerequisites=session.needs_prerequisites, home_partnership_id=home)
            counts = _after_release(session, person, counts, now=now, rule=rule)
            places = open_places(session, taken=counts["taken"], now=now, has_reservations=session.has_reservations,
                                 default_partnership_id=session.default_partnership_id)
            status = _status_for(session, places, home=home, approval=approval)
            invite = status == Booking.Status.CONFIRMED and person.calendar_invites  # or they use their feed
            booking = create(
                session=session, person=person, status=status, booked_at=now,
                waitlisted_at=now if status == Booking.Status.WAITLISTED else None,
                line_manager_email=line_manager_email, adjustments=adjustments,
                invite_sequence=1 if invite else 0,  # the first invite takes SEQUENCE 0
            )
            _announce(booking, now=now, waiting=counts["waiting"], invite=invite)
    except IntegrityError as exc:  # the one-live-booking constraint, if two requests raced
        raise Conflict(ALREADY_BOOKED) from exc
    return booking


def _checked_adjustments(adjustments: str) -> str:
    adjustments = (adjustments or "").strip()
    if len(adjustments) > ADJUSTMENTS_LIMIT:
        raise Invalid(f"Say what adjustments you need in {ADJUSTMENTS_LIMIT} characters or fewer.",
                      field="adjustments")
    return adjustments


def _approval(person, line_manager_email: str, *, now: datetime, rule: RepeatNoShowRule,
              recent_no_shows: int) -> tuple[bool, str]:
    """Whether the booking waits for approval, and the email kept with it: the agency manager's after repeated
    no-shows, else the line manager's, who must be someone else at a work address (check_line_manager_email:
    asked for when the agency wants approval, and checked whenever one is given, since the hub would use it
    if the agency started asking while the person waits)."""
    approver = repeat_no_show_approver(person, now=now, rule=rule, recent_no_shows=recent_no_shows)
    if approver:
        return True, approver.strip().lower()
    approval = needs_approval(person)
    if approval or line_manager_email.strip():
        return approval, check_line_manager_email(person, line_manager_email)
    return False, ""


def _after_release(session: Session, person, counts: dict, *, now: datetime, rule: RepeatNoShowRule) -> dict:
    """Once a session's kept places are released, the people waiting have them before a newcomer, even if
    the task that offers them (waitlist.release_kept_places) has not run yet: promote, then count again."""
    if not (session.has_reservations and counts["waiting"] and counts["taken"] < session.capacity) or (
            places_are_kept(session, now=now)):
        return counts
    if not promote_from_waitlist(session, now=now):
        return counts
    return count_facts(session.pk, person.pk, now=now, no_shows_since=no_shows_since(rule, now=now))


def _status_for(session: Session, places: Places, *, home: int, approval: bool) -> str:
    """A place while there is one the person may take (held for approval when needed), else the waiting list,
    else full (or every free place kept for other partnerships)."""
    if places.for_partnership(home) > 0:
        return Booking.Status.PENDING_APPROVAL if approval else Booking.Status.CONFIRMED
    if session.waiting_list:
        return Booking.Status.WAITLISTED
    if places.free > 0:
        raise Conflict(kept_words(session, places) + " This session has no waiting list.")
    raise Conflict("This session is full and has no waiting list.")


def _announce(booking: Booking, *, now: datetime, waiting: int, invite: bool) -> None:
    """The email and invite for a new booking, or the line manager's request (outbox rows, same transaction).
    `invite`: False when the person keeps their calendar through the personal feed instead."""
    if booking.status == Booking.Status.CONFIRMED:
        tell(booking, "booked", invite="REQUEST" if invite else None, sequence=0 if invite else None)
    elif booking.status == Booking.Status.PENDING_APPROVAL:
        request_approval(booking, now=now)
    else:
        booking.known_position = waiting + 1  # saves the caller counting the queue again
        tell(booking, "waitlisted", position=booking.known_position)


@transaction.atomic
def cancel_booking(booking: Booking, *, by, now: datetime | None = None) -> Booking:
    """End a booking: `cancelled`, or `late_cancelled` for a confirmed place inside the notice period.

    A freed place goes to the first person waiting. Raises Conflict when the booking has already
    ended or the session has started (the register decides then).
    """
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("session__course", "person").get(pk=booking.pk)
    )
    if not booking.is_live:
        raise Conflict(f"This booking has already ended ({booking.get_status_display().lower()}).")
    session = booking.session
    if session.starts_at <= now and booking.status != Booking.Status.WAITLISTED:
        raise Conflict("The session has started: the register now records whether you attended.")
    held = booking.status in Booking.HOLDING or booking.has_open_offer
    was_confirmed = booking.status == Booking.Status.CONFIRMED
    late = cancelling_would_be_late(booking, now=now)
    move(booking, Booking.Status.LATE_CANCELLED if late else Booking.Status.CANCELLED,
         cancelled_at=now, cancelled_by=by, offer_expires_at=None)
    charged = False
    if late:
        charged = raise_charge(booking, "late_cancellation", now=now) is not None
    tell(
        booking,
        "cancelled",
        invite="CANCEL" if was_confirmed else None,
        late=late,
        charged=charged,
        by_someone_else=by is not None and by.pk != booking.person_id,
    )
    if held:
        promote_from_waitlist(session, now=now)
    return booking


def end_bookings_for_cancelled_session(session: Session, *, now: datetime) -> int:
    """A session cancelled by the partnership ends every live booking, at no charge, and tells everyone."""
    ended = 0
    for booking in session.bookings.live().select_related("person", "session__course"):
        was_confirmed = booking.status == Booking.Status.CONFIRMED
        end_at_no_charge(booking, reason="session cancelled by the partnership", now=now)
        tell(booking, "session_cancelled", invite="CANCEL" if was_confirmed else None)
        ended += 1
    return ended


def session_changed(session: Session) -> None:
    """Times, venue or link changed: everyone with a place gets an updated invite (same UID, higher SEQUENCE)."""
    for booking in session.bookings.confirmed().select_related("person"):
        tell(booking, "session_changed", invite="REQUEST")
