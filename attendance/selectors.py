"""Reads about registers."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F

from bookings.models import Booking
from bookings.selectors import with_outcome_counts
from courses.models import Session
from courses.selectors import sessions_with_details
from lib.dates import start_of_day, to_london


def marking_open(session, *, closed: bool, now: datetime) -> bool:
    """Whether marks may be taken now: the register is not `closed` and the session's day has come."""
    return not closed and now >= register_opens_at(session)


def register_opens_at(session) -> datetime:
    """Marks are taken from the start of the session's day (London), so early arrivals can be marked."""
    return start_of_day(to_london(session.starts_at).date())


@dataclass
class TrainerSessions:
    """A trainer's sessions by what they ask of the trainer."""

    to_take: list = field(default_factory=list)  # register open (from the day of the session): oldest first
    coming: list = field(default_factory=list)  # register not open yet, or cancelled ahead: soonest first
    delivered: list = field(default_factory=list)  # register closed, or cancelled after the day: latest first


def sessions_delivered_by(person, *, now: datetime) -> TrainerSessions:
    """The sessions `person` is allocated to, with booking and outcome counts, in one query."""
    sessions = with_outcome_counts(sessions_with_details(Session.objects.filter(allocations__person=person)))
    found = TrainerSessions()
    for session in sessions.annotate(register_closed_at=F("register__closed_at")).order_by("starts_at", "pk"):
        closed, cancelled = session.register_closed_at is not None, session.status == Session.Status.CANCELLED
        if not cancelled and marking_open(session, closed=closed, now=now):
            found.to_take.append(session)
        elif (closed or cancelled) and session.starts_at <= now:
            found.delivered.append(session)
        else:
            found.coming.append(session)
    found.delivered.reverse()
    return found


def open_registers(*, ended_before: datetime):
    """Sessions that ended before `ended_before`, not cancelled, with people booked and the register
    not closed: nobody there is charged, asked to evaluate or certified until it is. Oldest first."""
    return (
        Session.objects.scheduled()
        .filter(ends_at__lte=ended_before, bookings__status=Booking.Status.CONFIRMED)
        .exclude(register__closed_at__isnull=False)
        .select_related("course")
        .distinct()
        .order_by("starts_at", "pk")
    )

