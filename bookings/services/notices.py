"""What people are told, written to the outbox in the caller's transaction."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookings.models import Booking, SessionMessage
from courses.models import Session
from lib.dates import to_london
from lib.errors import Conflict, Invalid
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
    "closed_to_network": "{course} is now open only to its partnership: you are off the waiting list",
    "handed_over": "You handed your place on {course} to a colleague",
    "handed_to_you": "A colleague handed you their place on {course}",
    "reminder": "Reminder: {course} on {date}",
    "joining_instructions": "Joining instructions: {course} on {date}",
    "evaluation_request": "How was {course}? Your evaluation and impact statement",
    "certificate_ready": "Your certificate for {course}",
    "follow_up": "{course}: what has changed in your practice?",
    "refresher_due": "Time to refresh {course}",
    "message": "{course} on {date}: {subject}",
}


def _next_sequence(booking: Booking) -> int:
    """Take the booking's next SEQUENCE: the first invite is 0, every later one is higher."""
    sequence = booking.invite_sequence
    Booking.objects.filter(pk=booking.pk).update(invite_sequence=F("invite_sequence") + 1)
    booking.invite_sequence = sequence + 1
    return sequence


def _subject(kind: str, booking: Booking, **context) -> str:
    deadline = context.get("deadline")
    return SUBJECTS[kind].format(
        course=booking.session.course.title,
        date=f"{to_london(booking.session.starts_at):%-d %B %Y}",
        deadline=f"{to_london(deadline):%H:%M on %-d %B}" if deadline else "",
        subject=context.get("subject", ""),
    )


def tell(booking: Booking, kind: str, *, invite: str | None = None, sequence: int | None = None, **context) -> None:
    """Email the booking's person (text in bookings/email/<kind>.txt), with an invite when one is due.

    The invite's SEQUENCE is taken now, in order; its content is rendered by the sender. A person who
    chose the calendar feed instead of invites gets none, unless an invite for this booking already went
    (its SEQUENCE has moved on from 0): that one is kept up to date, and cancelled, to the end.
    """
    if invite and not booking.person.calendar_invites and sequence is None and booking.invite_sequence == 0:
        invite = None
    queue_email(
        to=booking.person.email, subject=_subject(kind, booking, **context), template=f"bookings/email/{kind}",
        kind=kind, booking=booking, context=context,
        ics_method=invite or "",
        ics_sequence=(sequence if sequence is not None else _next_sequence(booking)) if invite else None,
    )


def tell_manager(booking: Booking, *, approve_url: str, decline_url: str, **context) -> None:
    queue_email(
        to=booking.line_manager_email,
        subject=f"Please approve {booking.person.name}'s place on {booking.session.course.title}",
        template="bookings/email/approval_request", kind="approval_request", booking=booking,
        context={"approve_url": approve_url, "decline_url": decline_url, **context},
    )


SUBJECT_LIMIT, MESSAGE_LIMIT = 150, 5000


def message_everyone(session, *, subject: str, body: str, by, include_waiting: bool = False, now=None):
    """Email everyone holding a place on `session` (booked, or waiting for their line manager), and
    once the register is closed everyone who came (the slides, a follow-up reading); when asked, the
    waiting list too. Through the outbox, with a record of what was sent.

    Raises Invalid for an empty or over-long subject or message, Conflict for a cancelled session or
    one with nobody to write to.
    """
    subject, body = " ".join(subject.split()), body.strip()
    if not subject:
        raise Invalid("Enter a subject.", field="subject")
    if len(subject) > SUBJECT_LIMIT:
        raise Invalid(f"The subject must be {SUBJECT_LIMIT} characters or fewer.", field="subject")
    if not body:
        raise Invalid("Enter the message.", field="body")
    if len(body) > MESSAGE_LIMIT:
        raise Invalid(f"The message must be {MESSAGE_LIMIT} characters or fewer.", field="body")
    if session.status == Session.Status.CANCELLED:
        raise Conflict("This session is cancelled: everyone booked has already been told, and their bookings "
                       "have ended.")
    statuses = [*Booking.HOLDING, Booking.Status.ATTENDED, Booking.Status.PARTIAL,
                *([Booking.Status.WAITLISTED] if include_waiting else [])]
    with transaction.atomic():
        bookings = list(session.bookings.filter(status__in=statuses).select_related("person", "session__course"))
        if not bookings:
            raise Conflict("Nobody holds a place on this session, or came to it, so there is nobody to write to.")
        record = SessionMessage.objects.create(
            session=session, subject=subject, body=body, to_waiting_list=include_waiting,
            recipients=len(bookings), sent_by=by, sent_at=now or timezone.now())
        for booking in bookings:
            tell(booking, "message", subject=subject, message=body, sender=by.name)
    return record
