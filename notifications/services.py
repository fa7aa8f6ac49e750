"""The outbox: every email is a row written in the caller's transaction and sent after commit.

The row holds a template name and plain values; the sender renders the words (and any calendar
invite) outside the caller's transaction. When Redis or the mail server is down, the row waits
and the periodic sweep sends it later: a failure delays a message, never the booking behind it.
"""

import logging
from datetime import datetime, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications.models import Message
from notifications.tasks import send_message

log = logging.getLogger(__name__)
CLAIM_FOR = timedelta(minutes=5)
MAX_ATTEMPTS = 20


def _plain(value):
    """Context values as JSON: times as ISO 8601 (read back as aware datetimes), lists and dicts within."""
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _unplain(value):
    if isinstance(value, dict):
        if "__datetime__" in value:
            return parse_datetime(value["__datetime__"])
        return {k: _unplain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unplain(v) for v in value]
    return value


def queue_email(*, to: str, subject: str, template: str, kind: str, context: dict | None = None, booking=None,
                ics_method: str = "", ics_sequence: int | None = None) -> Message:
    """Write an email to the outbox, to be rendered from `<template>.txt` and sent after commit.

    `context` holds plain values (text, numbers, datetimes); the booking, its session, course and
    person are added when the message is rendered.
    """
    message = Message.objects.create(
        to=to, subject=subject[:250], template=template, kind=kind, booking=booking,
        context={key: _plain(value) for key, value in (context or {}).items()},
        ics_method=ics_method, ics_sequence=ics_sequence,
    )
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


def queue_rendered_email(*, to: str, subject: str, text: str, html: str = "", kind: str) -> Message:
    """An email whose words are already written (django-allauth's): into the outbox all the same."""
    message = Message.objects.create(to=to, subject=subject[:250], template="", kind=kind, body_text=text or " ",
                                     body_html=html)
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


def dispatch(message_id: int) -> None:
    """Hand a message to Celery; if the broker (or, eagerly, the mail server) fails, the sweep retries."""

    try:
        send_message.delay(message_id)
    except Exception:  # any broker or SMTP failure only delays the message
        log.warning("Message %s waits in the outbox: could not hand it over now", message_id, exc_info=True)


def render(message: Message) -> None:
    """Fill in the words and the invite of a message, once."""
    if message.body_text:
        return
    context = {"site_url": settings.SITE_URL, "partnership_name": settings.PARTNERSHIP_NAME}
    booking = message.booking
    if booking is not None:
        context |= {"booking": booking, "session": booking.session, "course": booking.session.course,
                    "person": booking.person}
    context |= {key: _unplain(value) for key, value in message.context.items()}
    message.body_text = render_to_string(f"{message.template}.txt", context, using="text").strip() + "\n"
    message.body_html = render_to_string("emails/wrapper.html",
                                         context | {"subject": message.subject, "body": message.body_text})
    if message.ics_method and booking is not None:
        from bookings.invites import booking_invite  # the outbox sits below bookings (see .importlinter)

        message.ics = booking_invite(booking, method=message.ics_method, sequence=message.ics_sequence or 0)
    message.save(update_fields=["body_text", "body_html", "ics"])


def _email(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(message.subject, message.body_text, settings.DEFAULT_FROM_EMAIL, [message.to])
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.ics:
        part = MIMEText(message.ics, "calendar", "utf-8")
        part.set_param("method", message.ics_method or "PUBLISH")
        part.add_header("Content-Disposition", "attachment", filename="invite.ics")
        email.attach(part)
    return email


def deliver_message(message_id: int, *, now: datetime | None = None) -> bool:
    """Send one message if nobody else is: claim it by compare-and-set, so it is never sent twice."""
    now = now or timezone.now()
    claimed = (
        Message.objects.filter(pk=message_id, sent_at=None)
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return False
    message = Message.objects.select_related("booking__session__course", "booking__person").get(pk=message_id)
    try:
        render(message)
        _email(message).send()
    except Exception as exc:
        Message.objects.filter(pk=message_id).update(claimed_until=None, last_error=repr(exc)[:2000])
        raise
    Message.objects.filter(pk=message_id).update(sent_at=timezone.now(), claimed_until=None, last_error="")
    return True


def send_waiting_messages(*, now: datetime | None = None, limit: int = 500) -> int:
    """The sweep: send what waits (broker or mail server were down). Returns how many went."""
    now = now or timezone.now()
    waiting = Message.objects.unsent().filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(claimed_until=None) | Q(claimed_until__lt=now)
    ).values_list("pk", flat=True)[:limit]
    sent = 0
    for message_id in list(waiting):
        try:
            sent += deliver_message(message_id, now=now)
        except Exception:  # the next sweep tries again
            log.warning("Message %s still waiting", message_id, exc_info=True)
    return sent
