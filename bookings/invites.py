"""iCalendar invites and feeds (the `icalendar` library).

One UID per booking for its whole life; every invite sent raises SEQUENCE. Times carry
TZID=Europe/London with a VTIMEZONE, so 09:30 stays 09:30 on the days the clocks change.

A session in several parts is one recurring event, so one CANCEL ends them all, written in the
form Outlook accepts (MS-OXCICAL: no RDATE without an RRULE, at most one occurrence a day, an
occurrence moved only within its own day): a daily RRULE every N days covering the parts' days,
EXDATEs for the days between that have no part, and an override (RECURRENCE-ID) for every later
day with its own times. Parts on the same day make one occurrence, from the first start to the
last end, with the parts' times in the description.
"""

from datetime import date, datetime, timedelta
from functools import reduce
from math import gcd

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur, vText

from lib.dates import LONDON, to_london
from people.directory import contact_email_of
from people.partnerships import is_network

PRODID = "-//Training hub//Multi-agency safeguarding training//EN"


def london_vtimezone() -> Timezone:
    """Europe/London as yearly rules (last Sunday of March and October), the form Outlook, Google,
    Apple Calendar and Thunderbird all read; RDATE-listed transitions are misread by some."""
    tz = Timezone()
    tz.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))
    summer.add("tzoffsetfrom", timedelta(hours=0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(hours=0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add_component(london_vtimezone())  # the one TZID every event uses
    return cal


def _location(session) -> str:
    if session.format == "online":
        return "Online (Microsoft Teams)"
    if session.format == "blended":
        return f"{session.venue} and online"
    return session.venue


def _description(session, *, show_link: bool, day_parts: list | None = None, booked: bool = False,
                 network: bool = False) -> str:
    lines = [session.course.summary, ""]
    if network:  # on a network hub: who delivers it, and whom to ask (the organiser stays the hub's address)
        partnership = session.course.partnership
        lines += [f"Delivered by {partnership.name}. Questions about this session: {contact_email_of(partnership)}",
                  ""]
    if day_parts and len(day_parts) > 1:
        times = ", ".join(f"{to_london(p.starts_at):%H:%M} to {to_london(p.ends_at):%H:%M}" for p in day_parts)
        lines += [f"On {to_london(day_parts[0].starts_at):%A %-d %B}: {times}.", ""]
    if show_link and session.online_url:
        lines.append(f"Join online: {session.online_url}")
    lines.append(f"Details: {settings.SITE_URL}{session.get_absolute_url()}")
    if booked:  # people decline in Outlook and think they have cancelled; then they are a no-show
        lines += ["", "Declining this in your calendar does not cancel your place. To cancel, or to hand "
                      f"your place to a colleague, go to {settings.SITE_URL}/bookings/"]
    return "\n".join(lines)


def _days(parts) -> list[list]:
    """The parts grouped by their day in London, in order: one occurrence a day."""
    days: dict[date, list] = {}
    for part in sorted(parts, key=lambda p: p.starts_at):
        days.setdefault(to_london(part.starts_at).date(), []).append(part)
    return list(days.values())


def _series(first: datetime, days: list[date]) -> tuple[vRecur, list[datetime], list[datetime]]:
    """A daily RRULE (every N days) whose occurrences land on each of `days`, the EXDATEs of the days
    it covers that are not wanted, and each wanted day's RECURRENCE-ID (its nominal start, at the
    first day's wall-clock time)."""
    offsets = [(day - days[0]).days for day in days]
    step = reduce(gcd, offsets[1:])
    nominal = [datetime.combine(days[0] + timedelta(days=offset), first.time(), tzinfo=LONDON)
               for offset in range(0, offsets[-1] + 1, step)]
    wanted = {days[0] + timedelta(days=offset) for offset in offsets}
    rule = vRecur(freq="DAILY", interval=step, count=len(nominal))
    return (rule, [n for n in nominal if n.date() not in wanted], [n for n in nominal if n.date() in wanted])


def _events(session, *, uid: str, sequence: int, status: str, show_link: bool, now: datetime, attendee=None,
            network: bool = False):
    days = _days(session.parts.all())
    summary = session.course.title
    if status == "CANCELLED":
        summary = f"Cancelled: {summary}"
    first = days[0][0].starts_at.astimezone(LONDON)
    if len(days) > 1:
        rule, excluded, recurrence_ids = _series(first, [to_london(d[0].starts_at).date() for d in days])
    events = []
    for index, day_parts in enumerate(days):
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("status", status)
        event.add("summary", summary)
        event.add("dtstart", day_parts[0].starts_at.astimezone(LONDON))
        event.add("dtend", max(p.ends_at for p in day_parts).astimezone(LONDON))
        if index == 0 and len(days) > 1:
            event.add("rrule", rule)
            if excluded:
                event.add("exdate", excluded)
        elif index > 0:
            event.add("recurrence-id", recurrence_ids[index])
        location = _location(session)
        if location:
            event.add("location", location)
        event.add("description", _description(session, show_link=show_link, day_parts=day_parts,
                                              booked=show_link and status != "CANCELLED", network=network))
        if show_link and session.online_url:
            event.add("url", session.online_url)
        # the organiser: on a network, the partnership that delivers the session (its description names it too)
        organiser = session.course.partnership.name if network else settings.PARTNERSHIP_NAME
        _add_people(event, organiser=organiser, attendee=attendee, cancelled=status == "CANCELLED")
        events.append(event)
    return events


def _add_people(event: Event, *, organiser: str, attendee, cancelled: bool) -> None:
    """The partnership (`organiser`, its name) as organiser, and the person booked (when there is one) as an
    attendee."""
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText(organiser)
    event.add("organizer", organizer)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
        address.params["rsvp"] = vText("FALSE")  # nobody reads replies: the hub is where places change
        event.add("attendee", address, encode=0)


def booking_invite(booking, *, method: str, sequence: int, now: datetime | None = None) -> str:
    """The invite for one booking: METHOD REQUEST (booked or changed) or CANCEL (ended)."""
    now = now or timezone.now()
    cal = _calendar(method)
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    for event in _events(booking.session, uid=booking.invite_uid, sequence=sequence, status=status,
                         show_link=True, now=now, attendee=booking.person, network=is_network()):
        cal.add_component(event)
    return cal.to_ical().decode()


def sessions_feed(sessions, *, now: datetime | None = None, name: str = "") -> str:
    """The public feed: every scheduled session, without joining links (one partnership's, `name`, if given)."""
    now = now or timezone.now()
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", f"Multi-agency safeguarding training: {name}" if name else
            "Multi-agency safeguarding training")
    network = is_network()
    for session in sessions:
        for event in _events(session, uid=f"session-{session.pk}@training-hub", sequence=session.sequence,
                             status="CONFIRMED", show_link=False, now=now, network=network):
            cal.add_component(event)
    return cal.to_ical().decode()


def feed_uid(booking) -> str:
    """The booking's event in the personal feed: a UID of its own, never the emailed invite's, so a calendar
    that holds both shows two events rather than letting one overwrite the other (and the feed page tells
    people to use one or the other)."""
    return f"feed-booking-{booking.pk}@training-hub"


def personal_feed(bookings, *, now: datetime | None = None) -> str:
    """A person's own feed: their confirmed places, with joining links, under feed_uid()."""
    now = now or timezone.now()
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", "My safeguarding training")
    network = is_network()
    for booking in bookings:
        # The session's own SEQUENCE, raised by every change: the feed does not follow the emailed invites.
        for event in _events(booking.session, uid=feed_uid(booking), sequence=booking.session.sequence,
                             status="CONFIRMED", show_link=True, now=now, network=network):
            cal.add_component(event)
    return cal.to_ical().decode()
