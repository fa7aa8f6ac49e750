"""What people are told, written to the outbox in the caller's transaction."""

from django.db.models import F

from bookings.models import Booking
from notifications.services import queue_email

SUBJECTS = {
    "booked": "You are booked on {course}",
    "waitlisted": "You are on the waiting list for {course}",
    "pending_approval": "Your place on {course} is waiting for your line manager",
    "approved": "Your line manager approved your place on {course}",
    "declined": "Your line manager did not approve your place on {course}",
    "approval_lapsed": "Your place on {course} was released",
    "cancelled": "Your booking on {course} is cancelled",
    "session_cancelled": "Cancelled: {course} on {date}",
    "session_changed": "Changed: {course} on {date}",
    "promoted": "A place came up: you are booked on {course}",
    "offer": "A place is free on {course}: accept it by {deadline}",
    "offer_lapsed": "The offer of a place on {course} has lapsed",
    "handed_over": "You handed your place on {course} to a colleague",
    "handed_to_you": "A colleague handed you their place on {course}",
    "reminder": "Reminder: {course} on {date}",
    "joining_instructions": "Joining instructions: {course} on {date}",
    "evaluation_request": "How was {course}? Your evaluation and impact statement",
    "certificate_ready": "Your certificate for {course}",
    "follow_up": "{course}: what has changed in your practice?",
    "refresher_due": "Time to refresh {course}",
}


def _next_sequence(booking: Booking) -> int:
    """Take the booking's next SEQUENCE: the first invite is 0, every later one is higher."""
    sequence = booking.invite_sequence
    Booking.objects.filter(pk=booking.pk).update(invite_sequence=F("invite_sequence") + 1)
    booking.invite_sequence = sequence + 1
    return sequence


def _subject(kind: str, booking: Booking, **context) -> str:
    from lib.dates import to_london

    deadline = context.get("deadline")
    return SUBJECTS[kind].format(
        course=booking.session.course.title,
        date=f"{to_london(booking.session.starts_at):%-d %B %Y}",
        deadline=f"{to_london(deadline):%H:%M on %-d %B}" if deadline else "",
    )


def tell(booking: Booking, kind: str, *, invite: str | None = None, sequence: int | None = None, **context) -> None:
    """Email the booking's person (text in bookings/email/<kind>.txt), with an invite when one is due.

    The invite's SEQUENCE is taken now, in order; its content is rendered by the sender.
    """
    queue_email(
        to=booking.person.email, subject=_subject(kind, booking, **context), template=f"bookings/email/{kind}",
        kind=kind, booking=booking, context=context,
        ics_method=invite or "",
        ics_sequence=(sequence if sequence is not None else _next_sequence(booking)) if invite else None,
    )


def tell_manager(booking: Booking, *, approve_url: str, decline_url: str) -> None:
    queue_email(
        to=booking.line_manager_email,
        subject=f"Please approve {booking.person.name}'s place on {booking.session.course.title}",
        template="bookings/email/approval_request", kind="approval_request", booking=booking,
        context={"approve_url": approve_url, "decline_url": decline_url},
    )
