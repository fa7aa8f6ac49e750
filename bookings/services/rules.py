"""The rules a booking is decided by: when a session can be booked, what a person still needs, who
approves, when cancelling is late, and ending a booking at no charge. Reads, apart from that one move;
every other booking service builds on them."""

from datetime import datetime, timedelta

from bookings.models import Booking, BookingSettings
from bookings.services.places import why_not_open_to
from bookings.transitions import move
from charging.selectors import RepeatNoShowRule, current_policy, repeat_no_show_rule
from courses.models import Course, Session
from lib.dates import to_london, working_days_between
from lib.errors import Conflict, NotAllowed
from people import roles
from people.partnerships import home_partnership_id as home_partnership_of
from people.partnerships import settings_of

ADJUSTMENTS_LIMIT = 1000


def booking_settings(partnership_id: int | None = None) -> BookingSettings:
    """The partnership's booking settings (default: the first partnership's), made with the defaults when it
    has none yet. A session follows its delivering partnership's (its course's)."""
    return settings_of(BookingSettings, partnership_id)


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


def check_open_to(session: Session, home_partnership_id: int) -> None:
    """Raise NotAllowed (403), naming the partnership, when the session is open only to the delivering
    partnership's people and this home partnership is another (places.why_not_open_to has the words)."""
    refused = why_not_open_to(session, home_partnership_id)
    if refused:
        raise NotAllowed(refused)


ALREADY_BOOKED = "You already have a place, or a place on the waiting list, on this session."


def check_can_book(session: Session, person, *, now: datetime, live_here: bool, prerequisites: bool = True,
                   home_partnership_id: int | None = None) -> None:
    """The rules for taking a place: open to the person's partnership, open session, inside its window, not
    booked already, prerequisites met.

    `live_here`: whether the person already holds a live booking on the session (from `count_facts`).
    `prerequisites`: whether the session's course needs any (False saves asking).
    `home_partnership_id`: the person's home partnership (default: theirs, looked up).
    Raises NotAllowed (403) naming the partnership when the session is not open to them; Conflict otherwise.
    """
    home = home_partnership_id if home_partnership_id is not None else home_partnership_of(person)
    check_open_to(session, home)
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
    person, *, now: datetime, rule: RepeatNoShowRule | None = None, recent_no_shows: int | None = None,
    session: Session | None = None, not_by=None,
) -> str | None:
    """After repeated no-shows (by default 2 in 12 months) the agency manager approves new bookings: the rule of
    the session's delivering partnership (give `session`; without it, the first partnership's).

    Returns the agency manager's email, or None when the rule does not apply (or the agency has no
    manager on the hub, in which case the usual rules stand). Give `rule` and `recent_no_shows`
    when they are already at hand. `not_by`: someone who may not approve this place either (the agency
    manager handing their own place over).
    """

    rule = rule or repeat_no_show_rule(session.course.partnership_id if session is not None else None)
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
        .exclude(pk=getattr(not_by, "pk", None))
        .order_by("name")
        .first()
    )
    return manager.email if manager else None


def is_late_cancellation(session: Session, *, now: datetime) -> bool:
    """On time when at least the notice period's working days lie strictly between today and the start day."""
    notice = current_policy(session.course.partnership_id).notice_working_days  # the delivering partnership's
    return working_days_between(to_london(now).date(), to_london(session.starts_at).date()) < notice


def cancelling_would_be_late(booking: Booking, *, now: datetime) -> bool:
    """Only a confirmed place can be given up late; leaving a queue or a pending request is always free."""
    return booking.status == Booking.Status.CONFIRMED and is_late_cancellation(booking.session, now=now)


def end_at_no_charge(booking: Booking, *, reason: str, now: datetime) -> Booking:
    """End a live booking with nothing to pay (declined, lapsed, handed over, session cancelled), keeping why.

    The caller tells the person and frees the place as its case needs.
    """
    return move(booking, Booking.Status.CANCELLED, cancelled_at=now, offer_expires_at=None, end_reason=reason)
