"""What the day of the session does to a booking: a walk-in, the register's outcomes, a correction later.

The register itself (marks, who may take them, charges that follow) lives in attendance; these are the
booking's side of it, so that its status changes only here.
"""

from datetime import datetime

from django.db import transaction

from bookings.models import Booking
from bookings.transitions import create, move
from courses.models import Session
from lib.errors import Conflict

S = Booking.Status
LATE_MINUTES = 30  # the partnership's rule: later than this is a no-show
LATE_RULE = f"Arriving more than {LATE_MINUTES} minutes late counts as a no-show (the partnership's rule)."


def _lock(session: Session) -> Session:
    """The session's row, locked until the transaction ends, as every booking of it takes it."""
    return Session.objects.select_for_update(of=("self",)).get(pk=session.pk)


@transaction.atomic
def confirm_walk_in(session: Session, person, *, now: datetime) -> Booking:
    """Someone came who had no confirmed place: their waiting or pending booking becomes a confirmed place,
    or they get a new one (past capacity too: they are in the room). Takes the session's lock like any
    booking. Raises Conflict when they already have a confirmed place.
    """
    session = _lock(session)
    existing = session.bookings.select_for_update(of=("self",)).filter(person=person).live().first()
    if existing and existing.status == S.CONFIRMED:
        raise Conflict(f"{person.name} is already on this register.")
    if existing:  # waiting list or pending: they came, so the place is theirs
        return move(existing, S.CONFIRMED, offer_expires_at=None)
    return create(session=session, person=person, status=S.CONFIRMED, booked_at=now)


@transaction.atomic
def record_outcomes(session: Session, outcomes: dict[int, str]) -> int:
    """The register closes: each confirmed place takes its outcome from `outcomes` (booking id -> attended,
    partial or no_show), and a place nobody marked is a no-show. Returns how many bookings it settled."""
    settled = 0
    for booking in session.bookings.confirmed().select_for_update(of=("self",)):
        move(booking, outcomes.get(booking.pk, S.NO_SHOW))
        settled += 1
    return settled


@transaction.atomic
def correct_outcome(booking: Booking, outcome: str) -> tuple[Booking, str]:
    """Change a settled outcome (attended, partial, no_show) to another, under the session's lock.

    Returns the booking and its outcome before. Raises Conflict when the booking was not on the
    register or already has that outcome.
    """
    _lock(booking.session)
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("session", "person__agency").get(pk=booking.pk)
    )
    if booking.status not in Booking.OUTCOMES:
        raise Conflict("This booking was not on the register.")
    before = booking.status
    if before == outcome:
        raise Conflict(f"The mark is already {outcome}.")
    return move(booking, outcome), before
