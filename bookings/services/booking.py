"""Booking a place and cancelling it."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings.models import Booking, BookingSettings
from bookings.services.notices import tell
from bookings.transitions import create, move
from bookings.under_lock import count_facts, lock_session
from charging.selectors import RepeatNoShowRule, current_policy, repeat_no_show_rule
from charging.services import raise_charge
from courses.models import Course, Session
from lib.dates import to_london, working_days_between
from lib.errors import Conflict, Invalid
from people import roles


def booking_settings() -> BookingSettings:
    return BookingSettings.objects.order_by("pk").first() or BookingSettings.objects.create()


def missing_prerequisites(session: Session, person) -> list[str]:
    """Titles of the courses this session's course needs that the person has not attended.

    One small query for the usual course, which needs none; a second only when it needs some.
    """
    required = dict(Course.objects.filter(leads_to=session.course_id).values_list("pk", "title"))
    if not required:
        return []
    attended = set(
        Booking.objects.filter(person=person, status=Booking.Status.ATTENDED, session__course_id__in=required)
        .values_list("session__course_id", flat=True)
    )
    return sorted(title for pk, title in required.items() if pk not in attended)


def why_prerequisites_missing(session: Session, person) -> str | None:
    """Why the person cannot book this session's course yet (courses it needs that they have not
    attended), or None when nothing is missing. The same words go in the 409 and on the session page."""
    missing = missing_prerequisites(session, person)
    return f"This course needs you to have attended {' and '.join(missing)} first." if missing else None


def booking_window(session: Session, *, now: datetime) -> str:
    """Where `now` falls in the session's booking window: "not_open", "open" or "closed"."""
    if now < session.booking_opens_at:
        return "not_open"
    if now >= session.booking_closes_at:
        return "closed"
    return "open"


def why_booking_is_shut(session: Session, *, now: datetime) -> str | None:
    """Why nobody can book this session now (cancelled, started, not open yet, closed), or None when they can.

    The same words go in the 409 and on the session page.
    """
    if session.status == Session.Status.CANCELLED:
        return "This session has been cancelled, so it cannot be booked."
    if session.starts_at <= now:
        return "This session has already started, so it can no longer be booked."
    window = booking_window(session, now=now)
    if window == "not_open":
        return f"Booking opens on {to_london(session.booking_opens_at):%-d %B %Y at %H:%M}."
    if window == "closed":
        return (
            f"Booking closed on {to_london(session.booking_closes_at):%-d %B %Y at %H:%M}. "
            "Contact the business unit if you still need a place."
        )
    return None


def _check_session_open(session: Session, *, now: datetime) -> None:
    reason = why_booking_is_shut(session, now=now)
    if reason:
        raise Conflict(reason)


ALREADY_BOOKED = "You already have a place, or a place on the waiting list, on this session."


def check_can_book(session: Session, person, *, now: datetime, live_here: bool, prerequisites: bool = True) -> None:
    """The rules for taking a place: open session, inside its window, not booked already, prerequisites met.

    `live_here`: whether the person already holds a live booking on the session (from `count_facts`).
    `prerequisites`: whether the session's course needs any (False saves asking).
    """
    _check_session_open(session, now=now)
    if live_here:
        raise Conflict(ALREADY_BOOKED)
    reason = why_prerequisites_missing(session, person) if prerequisites else None
    if reason:
        raise Conflict(reason)


def needs_approval(person) -> bool:
    """Line-manager approval: agencies that ask for it."""
    return bool(person.agency and person.agency.requires_line_manager_approval)


def no_shows_since(rule: RepeatNoShowRule, *, now: datetime) -> datetime:
    """The start of the repeat no-show window (by default 12 months back)."""
    return now - timedelta(days=round(rule.repeat_window_months * 30.44))


def repeat_no_show_approver(
    person, *, now: datetime, rule: RepeatNoShowRule | None = None, recent_no_shows: int | None = None
) -> str | None:
    """After repeated no-shows (by default 2 in 12 months) the agency manager approves new bookings.

    Returns the agency manager's email, or None when the rule does not apply (or the agency has no
    manager on the hub, in which case the usual rules stand). Give `rule` and `recent_no_shows`
    when they are already at hand.
    """

    rule = rule or repeat_no_show_rule()
    if not rule.repeat_no_shows or person.agency_id is None:
        return None
    if recent_no_shows is None:
        recent_no_shows = Booking.objects.filter(
            person=person, status=Booking.Status.NO_SHOW, session__starts_at__gte=no_shows_since(rule, now=now)
        ).count()
    if recent_no_shows < rule.repeat_no_shows:
        return None
    manager = (
        type(person)
        .objects.filter(agency_id=person.agency_id, groups__name=roles.AGENCY_MANAGER, is_active=True)
        .exclude(pk=person.pk)
        .order_by("name")
        .first()
    )
    return manager.email if manager else None


ADJUSTMENTS_LIMIT = 1000


def book_place(session: Session | int, person, *, line_manager_email: str = "", adjustments: str = "",
               now: datetime | None = None) -> Booking:
    """Give `person` a place on `session` (a Session or its id), or a place on its waiting list.

    Lock the session row, then count, then create, so two people can never take the last place.
    `adjustments`: what the person needs to take part, for the trainers (optional).
    Raises Session.DoesNotExist for an unknown id; Conflict (409) for a closed, cancelled, started,
    full-without-list or already-booked session or a missing prerequisite; Invalid (400) when the line
    manager's email is needed or the adjustments run past ADJUSTMENTS_LIMIT characters.
    """
    adjustments = _checked_adjustments(adjustments)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Lock, then count: two people can never both see 29 of 30 taken.
            session, rule = lock_session(getattr(session, "pk", session))
            counts = count_facts(session.pk, person.pk, now=now, no_shows_since=no_shows_since(rule, now=now))
            approval, line_manager_email = _approval(person, line_manager_email, now=now, rule=rule,
                                                     recent_no_shows=counts["recent_no_shows"])
            check_can_book(session, person, now=now, live_here=bool(counts["live_here"]),
                           prerequisites=session.needs_prerequisites)
            status = _status_for(session, taken=counts["taken"], approval=approval)
            booking = create(
                session=session, person=person, status=status, booked_at=now,
                waitlisted_at=now if status == Booking.Status.WAITLISTED else None,
                line_manager_email=line_manager_email, adjustments=adjustments,
                invite_sequence=1 if status == Booking.Status.CONFIRMED else 0,  # the first invite takes 0
            )
            _announce(booking, now=now, waiting=counts["waiting"])
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
    no-shows, else the line manager's given (asked for when the agency wants approval; Invalid without)."""
    approver = repeat_no_show_approver(person, now=now, rule=rule, recent_no_shows=recent_no_shows)
    approval = bool(approver) or needs_approval(person)
    email = (approver or line_manager_email).strip().lower()
    if approval and not email:
        raise Invalid(
            f"{person.agency} asks for your line manager's approval: give your line manager's work email.",
            field="line_manager_email",
        )
    return approval, email


def _status_for(session: Session, *, taken: int, approval: bool) -> str:
    """A place while there is one (held for approval when needed), else the waiting list, else full."""
    if taken < session.capacity:
        return Booking.Status.PENDING_APPROVAL if approval else Booking.Status.CONFIRMED
    if session.waiting_list:
        return Booking.Status.WAITLISTED
    raise Conflict("This session is full and has no waiting list.")


def _announce(booking: Booking, *, now: datetime, waiting: int) -> None:
    """The email and invite for a new booking, or the line manager's request (outbox rows, same transaction)."""
    from bookings.services.approval import request_approval

    if booking.status == Booking.Status.CONFIRMED:
        tell(booking, "booked", invite="REQUEST", sequence=0)
    elif booking.status == Booking.Status.PENDING_APPROVAL:
        request_approval(booking, now=now)
    else:
        booking.known_position = waiting + 1  # saves the caller counting the queue again
        tell(booking, "waitlisted", position=booking.known_position)


def is_late_cancellation(session: Session, *, now: datetime) -> bool:
    """On time when at least the notice period's working days lie strictly between today and the start day."""
    notice = current_policy().notice_working_days
    return working_days_between(to_london(now).date(), to_london(session.starts_at).date()) < notice


def cancelling_would_be_late(booking: Booking, *, now: datetime) -> bool:
    """Only a confirmed place can be given up late; leaving a queue or a pending request is always free."""
    return booking.status == Booking.Status.CONFIRMED and is_late_cancellation(booking.session, now=now)


@transaction.atomic
def cancel_booking(booking: Booking, *, by, now: datetime | None = None) -> Booking:
    """End a booking: `cancelled`, or `late_cancelled` for a confirmed place inside the notice period.

    A freed place goes to the first person waiting. Raises Conflict when the booking has already
    ended or the session has started (the register decides then).
    """
    from bookings.services.waitlist import promote_from_waitlist

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


def end_at_no_charge(booking: Booking, *, reason: str, now: datetime) -> Booking:
    """End a live booking with nothing to pay (declined, lapsed, handed over, session cancelled), keeping why.

    The caller tells the person and frees the place as its case needs.
    """
    return move(booking, Booking.Status.CANCELLED, cancelled_at=now, offer_expires_at=None, end_reason=reason)


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
