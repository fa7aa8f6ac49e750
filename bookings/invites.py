"""iCalendar invites and feeds (the `icalendar` library).

One UID per booking for its whole life; every invite sent raises SEQUENCE. Times carry
TZID=Europe/London with a VTIMEZONE, so 09:30 stays 09:30 on the days the clocks change.
A session in several parts is one event with RDATEs, each later part an override
(RECURRENCE-ID) with its own times, so one CANCEL ends them all.
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from lib.dates import LONDON

PRODID = "-//Training hub//Multi-agency safeguarding training//EN"


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def _location(session) -> str:
    if session.format == "online":
        return "Online (Microsoft Teams)"
    if session.format == "blended":
        return f"{session.venue} and online"
    return session.venue


def _description(session, *, show_link: bool) -> str:
    lines = [session.course.summary, ""]
    if show_link and session.online_url:
        lines.append(f"Join online: {session.online_url}")
    lines.append(f"Details: {settings.SITE_URL}{session.get_absolute_url()}")
    return "\n".join(lines)


def _events(session, *, uid: str, sequence: int, status: str, show_link: bool, now: datetime, attendee=None):
    parts = list(session.parts.all())
    summary = session.course.title
    if status == "CANCELLED":
        summary = f"Cancelled: {summary}"
    events = []
    for index, part in enumerate(parts):
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("status", status)
        event.add("summary", summary)
        event.add("dtstart", part.starts_at.astimezone(LONDON))
        event.add("dtend", part.ends_at.astimezone(LONDON))
        if index == 0:
            for later in parts[1:]:
                event.add("rdate", later.starts_at.astimezone(LONDON))
        else:
            event.add("recurrence-id", part.starts_at.astimezone(LONDON))
        location = _location(session)
        if location:
            event.add("location", location)
        event.add("description", _description(session, show_link=show_link))
        if show_link and session.online_url:
            event.add("url", session.online_url)
        organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
        organizer.params["cn"] = vText(settings.PARTNERSHIP_NAME)
        event.add("organizer", organizer)
        if attendee is not None:
            address = vCalAddress(f"mailto:{attendee.email}")
            address.params["cn"] = vText(attendee.name)
            address.params["role"] = vText("REQ-PARTICIPANT")
            address.params["partstat"] = vText("ACCEPTED" if status != "CANCELLED" else "DECLINED")
            event.add("attendee", address, encode=0)
        events.append(event)
    return events


def booking_invite(booking, *, method: str, sequence: int, now: datetime | None = None) -> str:
    """The invite for one booking: METHOD REQUEST (booked or changed) or CANCEL (ended)."""
    now = now or timezone.now()
    cal = _calendar(method)
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    for event in _events(booking.session, uid=booking.invite_uid, sequence=sequence, status=status,
                         show_link=True, now=now, attendee=booking.person):
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def sessions_feed(sessions, *, now: datetime | None = None) -> str:
    """The public feed: every scheduled session, without joining links."""
    now = now or timezone.now()
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", "Multi-agency safeguarding training")
    for session in sessions:
        for event in _events(session, uid=f"session-{session.pk}@training-hub", sequence=session.sequence,
                             status="CONFIRMED", show_link=False, now=now):
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def personal_feed(bookings, *, now: datetime | None = None) -> str:
    """A person's own feed: their confirmed places, with joining links."""
    now = now or timezone.now()
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", "My safeguarding training")
    for booking in bookings:
        for event in _events(booking.session, uid=booking.invite_uid, sequence=booking.invite_sequence,
                             status="CONFIRMED", show_link=True, now=now):
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()
