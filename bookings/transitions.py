"""The moves a booking's status may make, written once as data, and the one function that makes them.

Every service in bookings/services changes a status through `move` (or creates a booking through
`create`), which refuses any move this table does not list. Nothing outside bookings/ writes a
booking's status (tests/bookings/test_status_owner.py checks the whole tree).
"""

from bookings.models import Booking
from lib.errors import Conflict

S = Booking.Status
NEW = "new"  # a booking made on the hub: book_place, a walk-in, a handover
HISTORY = "history"  # a row brought in from the previous booking system, in whatever state it was left

TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({S.PENDING_APPROVAL, S.CONFIRMED, S.WAITLISTED}),
    HISTORY: frozenset(S.values),
    # approved or came on the day; declined, lapsed, cancelled or the session cancelled
    S.PENDING_APPROVAL: frozenset({S.CONFIRMED, S.CANCELLED}),
    # promoted or came on the day; promoted but the agency asks for approval; left the list
    S.WAITLISTED: frozenset({S.CONFIRMED, S.PENDING_APPROVAL, S.CANCELLED}),
    # cancelled (in time or late), handed over; the closed register's outcome
    S.CONFIRMED: frozenset({S.CANCELLED, S.LATE_CANCELLED, S.ATTENDED, S.PARTIAL, S.NO_SHOW}),
    # the business unit corrects a mark after the register closed
    S.ATTENDED: frozenset({S.PARTIAL, S.NO_SHOW}),
    S.PARTIAL: frozenset({S.ATTENDED, S.NO_SHOW}),
    S.NO_SHOW: frozenset({S.ATTENDED, S.PARTIAL}),
    S.CANCELLED: frozenset(),
    S.LATE_CANCELLED: frozenset(),
}


class NotAllowedMove(Conflict):
    """A status change the table does not list (409)."""


def _label(status: str) -> str:
    return {NEW: "a new booking", HISTORY: "an imported booking"}.get(status) or S(status).label.lower()


def check_move(before: str, after: str) -> None:
    """Raise NotAllowedMove unless the table lets a booking go from `before` to `after`."""
    if after not in TRANSITIONS.get(before, ()):
        raise NotAllowedMove(f"A booking cannot go from {_label(before)} to {_label(after)}.")


def move(booking: Booking, to: str, **fields) -> Booking:
    """Change the booking's status to `to` (and set `fields` beside it), saving both; refuses a move not in
    TRANSITIONS. The caller holds the lock its rule needs (the session's, or the booking's row)."""
    check_move(booking.status, to)
    booking.status = to
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save()
    return booking


def create(*, status: str, origin: str = NEW, **fields) -> Booking:
    """A new booking in `status`: one the table lets a booking made now (or imported) start in."""
    check_move(origin, status)
    return Booking.objects.create(status=status, **fields)

