"""The outbox: every email is a row written in the caller's transaction and sent after commit.

The row holds a template name and plain values; the sender renders the words (and any calendar
invite) outside the caller's transaction. When Redis or the mail server is down, the row waits
and the periodic sweep sends it later: a failure delays a message, never the booking behind it.
"""

import logging
import re
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connections, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from kombu.exceptions import OperationalError as KombuOperationalError

from notifications.models import Message
from notifications.tasks import hand_out_waiting_messages, send_message
from people.directory import contact_email_of
from people.partnerships import is_network, masthead

log = logging.getLogger(__name__)
# A sender claims a message for a short while and renews the claim while it renders and sends, so
# that a worker that dies (kill -9, a lost machine) holds its message only until the claim lapses:
# the sweep (every 30 seconds, config/celery.py) then sends it, well within a minute. A sender
# stuck for longer than HOLD_AT_MOST stops renewing (the mail server's own timeout, EMAIL_TIMEOUT,
# is shorter), so no message is held for ever.
CLAIM_FOR = timedelta(seconds=20)
RENEW_EVERY = timedelta(seconds=5)
HOLD_AT_MOST = timedelta(minutes=10)
MAX_ATTEMPTS = 20
# After a commit that wrote messages, a sender is called for the outbox, unless one was called and has not
# started yet: when it starts it takes every message waiting, these included (hand_out_waiting). Under a burst
# of bookings the requests then hand Celery one task for many messages instead of one each, and each request
# does one cache add instead. A called sender lost before it started (its broker message lost) is called again
# after SENDER_CALL_LAPSES; the sweep every 30 seconds sends what waits in any case.
SENDER_CALLED = "notifications:sender-called"
SENDER_CALL_LAPSES = 60  # seconds


# What an outage looks like: the broker unreachable (kombu's OperationalError), the mail server
# refusing or unreachable (smtplib's errors and socket errors are OSErrors). Logged as one warning
# line with the reason; anything else is unexpected and logged with its traceback.
OUTAGES = (KombuOperationalError, OSError)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


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


def _handed_over(message_id: int, hand_over) -> bool:
    """Run `hand_over()`; True when it went. A failure only delays the message (the sweep sends it later), so it
    is logged, not raised: an outage (Redis, or eagerly the mail server, down) as one warning line, anything
    else with its traceback, since someone should read why."""
    try:
        hand_over()
    except OUTAGES as exc:
        log.warning("Message %s waits in the outbox: could not hand it over now (%s)", message_id, _reason(exc))
    except Exception:
        log.exception("Message %s waits in the outbox: handing it over failed unexpectedly", message_id)
    else:
        return True
    return False


def dispatch(message_id: int) -> None:
    """After the commit that wrote `message_id`: call a sender for the outbox unless one is already called
    (SENDER_CALLED). A call that fails is forgotten, so the next commit calls again."""
    if not _handed_over(message_id, _call_sender):
        cache.delete(SENDER_CALLED)


def _call_sender() -> None:
    if cache.add(SENDER_CALLED, 1, timeout=SENDER_CALL_LAPSES):
        hand_out_waiting_messages.delay()


def hand_out_waiting(*, now: datetime | None = None, limit: int = 500) -> int:
    """The called sender: one send_message task for each message waiting, so that they go side by side on the
    workers. Commits from now on call another sender (the call is answered before the outbox is read, so
    nothing committed after this reads it is left without one). Returns how many were handed out."""
    cache.delete(SENDER_CALLED)
    return sum(_handed_over(message_id, lambda m=message_id: send_message.delay(m))
               for message_id in _waiting(now or timezone.now(), limit))


def render(message: Message) -> None:
    """Fill in the words and the invite of a message, once."""
    if message.body_text:
        return
    # `invite`: whether this email carries a calendar invite, for the words that speak of it
    booking = message.booking
    # whose email it is: PARTNERSHIP_NAME on a hub of one; on a network the delivering partnership's for an email
    # about a booking, the network's for any other (an account's, a briefing)
    context = {"site_url": settings.SITE_URL, "invite": bool(message.ics_method),
               "partnership_name": masthead(booking.session.course.partnership if booking else None).name}
    if booking is not None:
        context |= {"booking": booking, "session": booking.session, "course": booking.session.course,
                    "person": booking.person}
        if is_network():  # who delivers the session, and whom to ask about it
            partnership = booking.session.course.partnership
            context |= {"delivered_by": partnership.name, "delivery_contact": contact_email_of(partnership)}
    context |= {key: _unplain(value) for key, value in message.context.items()}
    message.body_text = render_to_string(f"{message.template}.txt", context, using="text").strip() + "\n"
    body = html_body(message.body_text, links=_links_the_hub_wrote(context, booking))
    message.body_html = render_to_string("emails/wrapper.html", context | {"subject": message.subject, "body": body})
    if message.ics_method and booking is not None:
        from bookings.invites import booking_invite  # the outbox sits below bookings (see .importlinter)

        message.ics = booking_invite(booking, method=message.ics_method, sequence=message.ics_sequence or 0)
    message.save(update_fields=["body_text", "body_html", "ics"])


class InviteEmail(EmailMultiAlternatives):
    """An email carrying a calendar invite as iMIP (RFC 6047) does, the layout Google Calendar and
    Thunderbird send and Outlook applies by itself:

        multipart/mixed
          multipart/alternative
            text/plain
            text/html
            text/calendar; method=REQUEST (or CANCEL), inline
          application/ics "invite.ics", an attachment copy for people who save or forward it

    Outlook treats a text/calendar part sent as an attachment as a file, not a meeting request, so the
    inline part is the one calendars act on; the copy carries no method, so nothing reads it twice.
    """

    def __init__(self, *args, ics: str, method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.ics, self.method = ics, method
        self.attach("invite.ics", ics, "application/ics")

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        calendar = MIMEText(self.ics, "calendar", "utf-8")
        calendar.set_param("method", self.method)
        alternative = next(part for part in msg.walk() if part.get_content_type() == "multipart/alternative")
        alternative.attach(calendar)
        return msg


URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


def _links_the_hub_wrote(context: dict, booking) -> tuple[tuple[str, ...], set[str]]:
    """The addresses an email may show as links: the hub's own (SITE_URL and below), a session's joining
    link, and the addresses the code put in the context under a key ending "url". Nothing a person typed
    into a name, a job title or a message becomes a link because it looks like one."""
    exact = {booking.session.online_url} if booking is not None and booking.session.online_url else set()

    def collect(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, str(k))
        elif isinstance(value, list):
            for item in value:
                collect(item, key)
        elif isinstance(value, str) and key.endswith("url"):
            exact.add(value)

    collect({k: v for k, v in context.items() if k != "site_url"})
    return (settings.SITE_URL + "/",), exact


def html_body(text: str, *, links: tuple[tuple[str, ...], set[str]]) -> str:
    """An email's plain text as HTML paragraphs, escaped, with only the hub's own addresses as links."""
    prefixes, exact = links
    parts, start = [], 0
    for match in URL_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        parts.append(escape(text[start:match.start()]))
        if url.startswith(prefixes) or url == settings.SITE_URL or url in exact:
            parts.append(format_html('<a href="{}">{}</a>', url, url))
        else:
            parts.append(escape(url))
        start = match.start() + len(url)
    parts.append(escape(text[start:]))
    return mark_safe(linebreaks("".join(parts)))  # noqa: S308 - every part above is escaped


def _email(message: Message) -> EmailMultiAlternatives:
    args = (message.subject, message.body_text, settings.DEFAULT_FROM_EMAIL, [message.to])
    if message.ics:
        email = InviteEmail(*args, ics=message.ics, method=message.ics_method or "PUBLISH")
    else:
        email = EmailMultiAlternatives(*args)
    if message.body_html or message.ics:  # an invite's calendar part goes beside an HTML part, always
        email.attach_alternative(message.body_html or f"<pre>{escape(message.body_text)}</pre>", "text/html")
    return email


def claim(message_id: int, *, now: datetime | None = None) -> bool:
    """Claim an unsent message for CLAIM_FOR by compare-and-set: only one sender at a time has it."""
    now = now or timezone.now()
    claimed = (
        Message.objects.filter(pk=message_id, sent_at=None)
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    return claimed == 1


@contextmanager
def _claim_renewed(message_id: int):
    """Keep the claim on a message alive while this process works on it, in a thread of its own.

    If the process dies, the renewals stop with it and the claim lapses within CLAIM_FOR.
    """
    done = threading.Event()

    def renew():
        until = time.monotonic() + HOLD_AT_MOST.total_seconds()
        try:
            while not done.wait(RENEW_EVERY.total_seconds()) and time.monotonic() < until:
                Message.objects.filter(pk=message_id, sent_at=None).update(claimed_until=timezone.now() + CLAIM_FOR)
        except Exception:
            log.exception("Message %s: could not renew the claim on it", message_id)
        finally:
            connections.close_all()  # this thread's own connections

    renewer = threading.Thread(target=renew, name=f"outbox-claim-{message_id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()
        renewer.join()


def deliver_message(message_id: int, *, now: datetime | None = None) -> bool:
    """Send one message if nobody else is sending it (see `claim`).

    At least once, not exactly once: a sender that dies after the mail server accepted the message
    but before it was marked sent leaves it unsent, and it goes again once the claim lapses.
    """
    if not claim(message_id, now=now):
        return False
    try:
        with _claim_renewed(message_id):  # the renewals stop before the claim is let go, below
            message = Message.objects.select_related("booking__session__course__partnership", "booking__person").get(
                pk=message_id)
            render(message)
            _email(message).send()
    except Exception as exc:
        Message.objects.filter(pk=message_id).update(claimed_until=None, last_error=repr(exc)[:2000])
        raise
    Message.objects.filter(pk=message_id).update(sent_at=timezone.now(), claimed_until=None, last_error="")
    return True


def _waiting(now: datetime, limit: int) -> list[int]:
    """The ids of the messages to send now, oldest first: unsent, not given up on, and claimed by nobody."""
    return list(Message.objects.unsent().filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(claimed_until=None) | Q(claimed_until__lt=now)
    ).order_by("pk").values_list("pk", flat=True)[:limit])


def send_waiting_messages(*, now: datetime | None = None, limit: int = 500) -> int:
    """The sweep: send what waits (broker or mail server were down). Returns how many went."""
    now = now or timezone.now()
    sent = 0
    for message_id in _waiting(now, limit):
        try:
            sent += deliver_message(message_id, now=now)
        except OUTAGES as exc:  # the next sweep tries again
            log.warning("Message %s still waiting: could not send it now (%s)", message_id, _reason(exc))
        except Exception:
            log.exception("Message %s still waiting: sending it failed unexpectedly", message_id)
    return sent
