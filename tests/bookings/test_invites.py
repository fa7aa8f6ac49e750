"""Invites read by a second, independent reader: ical.js, the library Thunderbird uses."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar

from bookings.invites import booking_invite
from bookings.services import book_place
from courses.services import Part, schedule_session
from lib.dates import london
from tests.conftest import invites_in, sent

ROOT = Path(__file__).resolve().parents[2]


def read_with_icaljs(ics: str) -> dict:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js").exists():
        pytest.fail("node and node_modules/ical.js are needed: run npm ci (scripts/test.sh does)")
    result = subprocess.run([node, str(ROOT / "tests/js/icaljs_times.mjs")], input=ics, capture_output=True,
                            text=True, check=True, cwd=ROOT, timeout=60)
    return json.loads(result.stdout)


@pytest.mark.parametrize(("day", "utc_start"), [
    ((2025, 3, 30), "2025-03-30T08:30:00.000Z"),  # BST starts that morning: 09:30 London is 08:30 UTC
    ((2025, 10, 26), "2025-10-26T09:30:00.000Z"),  # BST ends that morning: 09:30 London is 09:30 UTC
    ((2025, 3, 29), "2025-03-29T09:30:00.000Z"),
])
def test_invite_shows_0930_on_the_days_the_clocks_change(course, practitioner, day, utc_start):
    start = london(*day, 9, 30)
    session = schedule_session(course, capacity=5, venue="Runcorn Town Hall", parts=[Part(start, london(*day, 16))],
                               now=london(2025, 1, 2))
    booking = book_place(session, practitioner, now=london(2025, 1, 3))
    [(method, ics)] = invites_in(sent())
    assert method == "REQUEST"
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Europe/London" in ics
    assert "DTSTART;TZID=Europe/London:" in ics
    parsed = read_with_icaljs(ics)
    assert parsed["method"] == "REQUEST"
    [event] = parsed["events"]
    assert event["uid"] == booking.invite_uid
    assert event["tzid"] == "Europe/London"
    assert event["occurrences"][0]["start"] == utc_start


def test_a_multi_part_session_carries_every_part_under_one_uid(course, practitioner):
    parts = [Part(london(2025, 3, 27, 9, 30), london(2025, 3, 27, 12, 30)),
             Part(london(2025, 4, 3, 13, 0), london(2025, 4, 3, 16, 0))]
    session = schedule_session(course, capacity=5, venue="Runcorn Town Hall", parts=parts, now=london(2025, 1, 2))
    booking = book_place(session, practitioner, now=london(2025, 1, 3))
    ics = booking_invite(booking, method="REQUEST", sequence=3)
    parsed = read_with_icaljs(ics)
    [event] = parsed["events"]
    assert event["sequence"] == 3
    assert event["occurrences"] == [
        {"start": "2025-03-27T09:30:00.000Z", "end": "2025-03-27T12:30:00.000Z"},
        {"start": "2025-04-03T12:00:00.000Z", "end": "2025-04-03T15:00:00.000Z"},  # after BST began
    ]
    cal = Calendar.from_ical(ics)
    assert {str(e["UID"]) for e in cal.walk("VEVENT")} == {booking.invite_uid}
    assert_outlook_can_open(ics)


def assert_outlook_can_open(ics: str) -> None:
    """The rules Outlook applies to a recurring meeting (MS-OXCICAL 2.1.3.1.1.20): no RDATE without
    an RRULE (we use none), at most one occurrence a day, and an occurrence moved only within its day."""
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert "RDATE" not in ics
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    masters = [e for e in events if "RECURRENCE-ID" not in e]
    assert len(masters) == 1
    if overrides:
        assert "RRULE" in masters[0]
    days = [e.decoded("DTSTART").date() for e in events]
    assert len(days) == len(set(days)), "two occurrences on one day"
    for override in overrides:
        assert override.decoded("RECURRENCE-ID").date() == override.decoded("DTSTART").date()


def test_parts_at_uneven_gaps_across_the_clock_change_land_on_their_days(course, practitioner):
    parts = [Part(london(2025, 3, 28, 9, 30), london(2025, 3, 28, 12, 30)),
             Part(london(2025, 3, 29, 9, 30), london(2025, 3, 29, 12, 30)),
             Part(london(2025, 4, 1, 10, 0), london(2025, 4, 1, 12, 0))]  # BST began on 30 March
    session = schedule_session(course, capacity=5, venue="Runcorn Town Hall", parts=parts, now=london(2025, 1, 2))
    booking = book_place(session, practitioner, now=london(2025, 1, 3))
    ics = booking_invite(booking, method="REQUEST", sequence=0)
    assert_outlook_can_open(ics)
    assert "EXDATE;TZID=Europe/London:20250330T093000,20250331T093000" in ics.replace("\r\n ", "")
    [event] = read_with_icaljs(ics)["events"]
    assert event["occurrences"] == [
        {"start": "2025-03-28T09:30:00.000Z", "end": "2025-03-28T12:30:00.000Z"},
        {"start": "2025-03-29T09:30:00.000Z", "end": "2025-03-29T12:30:00.000Z"},
        {"start": "2025-04-01T09:00:00.000Z", "end": "2025-04-01T11:00:00.000Z"},
    ]
    cancel = read_with_icaljs(booking_invite(booking, method="CANCEL", sequence=1))["events"][0]
    assert cancel["status"] == "CANCELLED" and len(cancel["occurrences"]) == 3


def test_two_parts_on_one_day_are_one_occurrence_with_both_times_described(course, practitioner):
    parts = [Part(london(2025, 6, 10, 9, 30), london(2025, 6, 10, 12, 30)),
             Part(london(2025, 6, 10, 13, 15), london(2025, 6, 10, 16, 0)),
             Part(london(2025, 6, 17, 9, 30), london(2025, 6, 17, 12, 30))]
    session = schedule_session(course, capacity=5, venue="Runcorn Town Hall", parts=parts, now=london(2025, 1, 2))
    booking = book_place(session, practitioner, now=london(2025, 1, 3))
    ics = booking_invite(booking, method="REQUEST", sequence=0)
    assert_outlook_can_open(ics)
    [event] = read_with_icaljs(ics)["events"]
    assert event["occurrences"] == [
        {"start": "2025-06-10T08:30:00.000Z", "end": "2025-06-10T15:00:00.000Z"},
        {"start": "2025-06-17T08:30:00.000Z", "end": "2025-06-17T11:30:00.000Z"},
    ]
    first_day = next(e for e in Calendar.from_ical(ics).walk("VEVENT") if "RECURRENCE-ID" not in e)
    assert "On Tuesday 10 June: 09:30 to 12:30, 13:15 to 16:00." in str(first_day["DESCRIPTION"])


def test_joining_link_is_in_the_invite_but_not_the_public_feed(make_session, practitioner, client):
    session = make_session(format="online", venue="", online_url="https://teams.microsoft.com/l/secret")
    booking = book_place(session, practitioner, now=london(2030, 2, 1))
    assert "teams.microsoft.com/l/secret" in booking_invite(booking, method="REQUEST", sequence=0)
    from bookings.invites import sessions_feed

    feed = sessions_feed([session])
    assert "teams.microsoft.com/l/secret" not in feed
    assert read_with_icaljs(feed)["events"][0]["uid"] == f"session-{session.pk}@training-hub"


def test_a_cancel_keeps_the_uid_and_raises_the_sequence(session, practitioner):
    from bookings.services import cancel_booking

    booking = book_place(session, practitioner, now=london(2030, 2, 1))
    cancel_booking(booking, by=practitioner, now=london(2030, 2, 2))
    (_, request), (_, cancel) = invites_in(sent())
    first, second = read_with_icaljs(request), read_with_icaljs(cancel)
    assert second["method"] == "CANCEL"
    assert first["events"][0]["uid"] == second["events"][0]["uid"]
    assert second["events"][0]["sequence"] > first["events"][0]["sequence"]
    assert second["events"][0]["status"] == "CANCELLED"


def test_the_invite_says_declining_it_does_not_cancel_the_place(session, practitioner):
    from bookings.invites import sessions_feed

    booking = book_place(session, practitioner, now=london(2030, 2, 1))
    [email] = sent()
    assert "charged to your agency.\nDeclining the invite in your calendar does not cancel your place: to cancel, " \
           "use the link below.\n\nSee and manage your bookings:" in email.body
    [event] = Calendar.from_ical(booking_invite(booking, method="REQUEST", sequence=0)).walk("VEVENT")
    assert "Declining this in your calendar does not cancel your place" in str(event["DESCRIPTION"])
    assert "/bookings/" in str(event["DESCRIPTION"])
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"  # nobody reads replies
    [cancel] = Calendar.from_ical(booking_invite(booking, method="CANCEL", sequence=1)).walk("VEVENT")
    assert "does not cancel" not in str(cancel["DESCRIPTION"])
    assert "does not cancel" not in sessions_feed([session])


def _tree(part) -> list:
    """The MIME tree of a parsed email: (content type, disposition, children or method)."""
    if part.is_multipart():
        return [part.get_content_type(), [_tree(child) for child in part.get_payload()]]
    return [part.get_content_type(), part.get_content_disposition(), part.get_param("method")]


def test_the_invite_goes_inline_as_imip_with_an_attachment_copy(session, practitioner):
    """RFC 6047: the text/calendar part inside multipart/alternative, which Outlook applies by itself
    (a text/calendar attachment is only a file to it); the .ics copy carries no method."""
    import email
    from email import policy

    from bookings.services import cancel_booking

    booking = book_place(session, practitioner, now=london(2030, 2, 1))
    cancel_booking(booking, by=practitioner, now=london(2030, 2, 2))
    booked, cancelled = [email.message_from_bytes(m.message().as_bytes(), policy=policy.default) for m in sent()]
    for parsed, method in ((booked, "REQUEST"), (cancelled, "CANCEL")):
        assert _tree(parsed) == ["multipart/mixed", [
            ["multipart/alternative", [["text/plain", None, None], ["text/html", None, None],
                                       ["text/calendar", None, method]]],
            ["application/ics", "attachment", None]]]
        inline = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
        copy = next(p for p in parsed.walk() if p.get_content_type() == "application/ics")
        assert inline.get_content_charset() == "utf-8" and copy.get_filename() == "invite.ics"
        assert copy.get_content().decode() == inline.get_content()
        assert f"METHOD:{method}" in inline.get_content()


def test_an_email_without_an_invite_has_no_calendar_part(session, practitioner, make_session, outsider):
    import email

    full = make_session(capacity=1)
    book_place(full, outsider, now=london(2030, 2, 1))
    book_place(full, practitioner, now=london(2030, 2, 1))  # the waiting list: no invite
    waitlisted = [m for m in sent() if m.to == [practitioner.email]][-1]
    parsed = email.message_from_bytes(waitlisted.message().as_bytes())
    assert [p.get_content_type() for p in parsed.walk()] == ["multipart/alternative", "text/plain", "text/html"]
