"""Booking a place and cancelling it."""

from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from bookings.models import Booking, BookingSettings, holding_q
from bookings.services.notices import tell
from bookings.transitions import create, move
from charging.selectors import RepeatNoShowRule, current_policy, repeat_no_show_rule, repeat_rule_columns
from courses.models import Course, Session
from lib.compiled import ID, MOMENT, Compiled, CompiledInsert
from lib.dates import to_london, working_days_between
from lib.errors import Conflict, Invalid

ATTENDED = (Booking.Status.ATTENDED,)


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
        Booking.objects.filter(person=person, status__in=ATTENDED, session__course_id__in=required).values_list(
            "session__course_id", flat=True
        )
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


def _count_facts(session_id: int, person_id: int, now: datetime, no_shows_since: datetime) -> dict[str, int]:
    """What booking decides on, in one query over the session's and the person's bookings.

    Places taken and people waiting on the session; the person's live booking on it, and their
    no-shows since a date. Run under the session's lock, so the counts cannot change before the insert.
    """
    here, mine = Q(session_id=session_id), Q(person_id=person_id)
    no_shows = mine & Q(status=Booking.Status.NO_SHOW)  # of the person's other bookings, only these count
    # Each no-show's session is looked up by its key, rather than every session joined to every row.
    recent = Exists(Session.objects.filter(pk=OuterRef("session_id"), starts_at__gte=no_shows_since))
    return Booking.objects.filter(here | no_shows).aggregate(
        taken=Count("pk", filter=here & holding_q(now)),
        waiting=Count("pk", filter=here & Q(status=Booking.Status.WAITLISTED)),
        live_here=Count("pk", filter=here & mine & Q(status__in=Booking.LIVE)),
        recent_no_shows=Count("pk", filter=no_shows & recent),
    )


SESSION_FIELDS = [field.attname for field in Session._meta.concrete_fields]
COURSE_FIELDS = [field.attname for field in Course._meta.concrete_fields]


RULE_COLUMNS = list(repeat_rule_columns())


def _locked_session_row(session_id: int):
    """Lock the session's row and read it, its course, whether the course needs others first, and the
    charging policy's repeat no-show rule (which the lock does not cover: it is read, not decided on)."""
    return (
        Session.objects.select_for_update(of=("self",)).filter(pk=session_id)
        .annotate(needs_prerequisites=Exists(Course.prerequisites.through.objects.filter(
            from_course_id=OuterRef("course_id"))), **repeat_rule_columns())
        .values_list(*SESSION_FIELDS, *(f"course__{name}" for name in COURSE_FIELDS), "needs_prerequisites",
                     *RULE_COLUMNS)
    )


# What a booking sends under the lock, built by the ORM once per process (lib/compiled.py).
_facts = Compiled(_count_facts, session_id=ID, person_id=ID, now=MOMENT, no_shows_since=MOMENT)
_locked_session_rows = Compiled(_locked_session_row, session_id=ID)
_insert_booking = CompiledInsert(Booking)


def lock_session(session_id: int) -> tuple[Session, RepeatNoShowRule]:
    """The session, its row locked until the transaction ends, with its course and `needs_prerequisites`;
    and the repeat no-show rule, read in the same statement.

    Raises Session.DoesNotExist for an unknown id.
    """
    rows = _locked_session_rows(session_id=session_id)
    if not rows:
        raise Session.DoesNotExist(f"No session {session_id}.")
    row, course_at = rows[0], len(SESSION_FIELDS)
    prerequisites_at = course_at + len(COURSE_FIELDS)
    session = Session.from_db(connection.alias, SESSION_FIELDS, row[:course_at])
    session.course = Course.from_db(connection.alias, COURSE_FIELDS, row[course_at:prerequisites_at])
    session.needs_prerequisites = row[prerequisites_at]
    return session, repeat_no_show_rule(*row[prerequisites_at + 1:])


ALREADY_BOOKED = "You already have a place, or a place on the waiting list, on this session."


def check_can_book(session: Session, person, *, now: datetime, live_here: bool, prerequisites: bool = True) -> None:
    """The rules for taking a place: open session, inside its window, not booked already, prerequisites met.

    `live_here`: whether the person already holds a live booking on the session (from `_facts`).
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
    from people import roles

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
    Raises Session.DoesNotExist for an unknown id.
    `adjustments`: what the person needs to take part, for the trainers (optional).
    Raises Conflict (409) for a closed, cancelled, started, full-without-list or already-booked
    session or a missing prerequisite; Invalid (400) when the line manager's email is needed or the
    adjustments run past ADJUSTMENTS_LIMIT characters.
    """
    from bookings.services.approval import request_approval

    adjustments = (adjustments or "").strip()
    if len(adjustments) > ADJUSTMENTS_LIMIT:
        raise Invalid(f"Say what adjustments you need in {ADJUSTMENTS_LIMIT} characters or fewer.",
                      field="adjustments")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Lock the session, then count: two people can never both see 29 of 30 taken. Every check
            # runs under the lock, on what the lock holder committed, in as few statements as it can.
            session, rule = lock_session(getattr(session, "pk", session))
            counts = _facts(session_id=session.pk, person_id=person.pk, now=now,
                            no_shows_since=no_shows_since(rule, now=now))
            approval = needs_approval(person)
            approver = repeat_no_show_approver(person, now=now, rule=rule,
                                               recent_no_shows=counts["recent_no_shows"])
            if approver:
                approval, line_manager_email = True, approver
            if approval and not line_manager_email.strip():
                raise Invalid(
                    f"{person.agency} asks for your line manager's approval: give your line manager's work email.",
                    field="line_manager_email",
                )
            check_can_book(session, person, now=now, live_here=bool(counts["live_here"]),
                           prerequisites=session.needs_prerequisites)
            if counts["taken"] < session.capacity:
                status = Booking.Status.PENDING_APPROVAL if approval else Booking.Status.CONFIRMED
            elif session.waiting_list:
                status = Booking.Status.WAITLISTED
            else:
                raise Conflict("This session is full and has no waiting list.")
            confirmed = status == Booking.Status.CONFIRMED
            booking = create(
                session=session,
                person=person,
                status=status,
                booked_at=now,
                waitlisted_at=now if status == Booking.Status.WAITLISTED else None,
                line_manager_email=line_manager_email.strip().lower(),
                adjustments=adjustments,
                invite_sequence=1 if confirmed else 0,  # the first invite, below, takes SEQUENCE 0
            )
            if confirmed:
                tell(booking, "booked", invite="REQUEST", sequence=0)
            elif status == Booking.Status.PENDING_APPROVAL:
                request_approval(booking, now=now)
            else:
                booking.known_position = counts["waiting"] + 1  # saves the caller counting the queue again
                tell(booking, "waitlisted", position=booking.known_position)
    except IntegrityError as exc:  # the one-live-booking constraint, if two requests raced
        raise Conflict(ALREADY_BOOKED) from exc
    return booking


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
        from charging.services import raise_charge

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


def session_changed(session: Session, *, now: datetime | None = None) -> None:
    """Times, venue or link changed: everyone with a place gets an updated invite (same UID, higher SEQUENCE)."""
    now = now or timezone.now()
    for booking in session.bookings.confirmed().select_related("person"):
        tell(booking, "session_changed", invite="REQUEST")
