"""Writes about bookings, split by what a person does.

From the bottom up: places.py: to whom a session is open, and the places it keeps for partnerships;
rules.py: when a session can be booked, who approves, when cancelling is late;
notices.py: emails and invites; approval.py: line-manager approval; waitlist.py: promotion and offers;
booking.py: book a place, cancel; closing.py: a session opened only to its partnership; handover.py:
handing a place to a colleague; register.py: walk-ins and outcomes; reminders.py: before the session.
Each imports only those before it, except that a line manager's refusal promotes from the waiting list
(approval.py asks waitlist.py in the function).
"""

from bookings.services.approval import approval_token, decide_approval, expire_approvals
from bookings.services.booking import book_place, cancel_booking, end_bookings_for_cancelled_session, session_changed
from bookings.services.closing import Closing, close_to_other_partnerships, kept_for_others
from bookings.services.handover import hand_over_booking
from bookings.services.reminders import send_reminders
from bookings.services.rules import cancelling_would_be_late, check_can_book, is_late_cancellation, needs_approval
from bookings.services.waitlist import (
    accept_offer,
    decline_offer,
    expire_offers,
    promote_from_waitlist,
    release_kept_places,
)

__all__ = [
    "accept_offer",
    "approval_token",
    "book_place",
    "cancel_booking",
    "cancelling_would_be_late",
    "close_to_other_partnerships",
    "Closing",
    "check_can_book",
    "decide_approval",
    "decline_offer",
    "end_bookings_for_cancelled_session",
    "expire_approvals",
    "expire_offers",
    "hand_over_booking",
    "is_late_cancellation",
    "kept_for_others",
    "needs_approval",
    "needs_approval",
    "promote_from_waitlist",
    "release_kept_places",
    "send_reminders",
    "session_changed",
]
