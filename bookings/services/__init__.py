"""Writes about bookings, split by what a person does.

booking.py: book a place, cancel; waitlist.py: promotion and offers; approval.py: line-manager
approval; handover.py: handing a place to a colleague; notices.py: emails and invites;
reminders.py: reminders before the session.
"""

from bookings.services.approval import approval_token, decide_approval, expire_approvals
from bookings.services.booking import (
    book_place,
    cancel_booking,
    cancelling_would_be_late,
    check_can_book,
    end_bookings_for_cancelled_session,
    is_late_cancellation,
    needs_approval,
    session_changed,
)
from bookings.services.handover import hand_over_booking
from bookings.services.reminders import send_reminders
from bookings.services.waitlist import accept_offer, decline_offer, expire_offers, promote_from_waitlist

__all__ = [
    "accept_offer",
    "approval_token",
    "book_place",
    "cancel_booking",
    "cancelling_would_be_late",
    "check_can_book",
    "decide_approval",
    "decline_offer",
    "end_bookings_for_cancelled_session",
    "expire_approvals",
    "expire_offers",
    "hand_over_booking",
    "is_late_cancellation",
    "needs_approval",
    "promote_from_waitlist",
    "send_reminders",
    "session_changed",
]
