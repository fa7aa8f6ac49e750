"""People who chose their calendar feed instead of invites are never told an invite was emailed: the session
page after booking, the message after taking an offered place, the hand-over page and the emails each say
what really happened for them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking
from bookings.services import book_place, cancel_booking, hand_over_booking
from people.services import choose_calendar_invites
from tests.conftest import invites_in, sent

EMAILED = "We have emailed you a calendar invite"


@pytest.fixture
def feed_only(practitioner):
    choose_calendar_invites(practitioner, invites=False)
    practitioner.refresh_from_db()
    return practitioner


def _book_on_the_page(client, person, session) -> str:
    client.force_login(person)
    response = client.post(f"/sessions/{session.pk}/book/", follow=True)
    return response.content.decode()


def test_the_session_page_after_booking_says_where_the_place_is(client, feed_only, colleague, soon_session):
    page = _book_on_the_page(client, feed_only, soon_session())
    assert "You are booked on this session" in page
    assert EMAILED not in page and "It is in your calendar feed" in page
    assert invites_in(sent()) == []
    page = _book_on_the_page(client, colleague, soon_session())  # invites by email, the default
    assert EMAILED in page and "It is in your calendar feed" not in page


def test_taking_an_offered_place_says_where_the_place_is(client, feed_only, colleague, soon_session):
    for person, words in ((feed_only, "It is in your calendar feed"), (colleague, EMAILED)):
        booking = Booking.objects.create(session=soon_session(), person=person, status="waitlisted",
                                         waitlisted_at=timezone.now(),
                                         offer_expires_at=timezone.now() + timedelta(hours=20))
        client.force_login(person)
        response = client.post(f"/bookings/{booking.pk}/offer/", {"answer": "accept"}, follow=True)
        body = response.content.decode()
        booking.refresh_from_db()
        assert booking.status == "confirmed" and words in body
        if person == feed_only:
            assert EMAILED not in body


def test_the_hand_over_page_does_not_promise_the_colleague_an_invite(client, practitioner, soon_session):
    booking = Booking.objects.create(session=soon_session(), person=practitioner, status="confirmed")
    client.force_login(practitioner)
    page = client.get(f"/bookings/{booking.pk}/hand-over/").content.decode()
    assert "send them the calendar invite" not in page
    assert "by a calendar invite we email them, or through their calendar feed" in page


def test_no_email_to_a_feed_only_person_speaks_of_an_attached_or_coming_invite(make_session, feed_only, colleague,
                                                                              outsider, halton):
    from lib.dates import london

    in_february = london(2030, 2, 1, 10, 0)
    session = make_session(capacity=1)
    first = book_place(session, outsider, now=in_february)
    waiting = book_place(session, feed_only, now=in_february)
    cancel_booking(first, by=outsider, now=in_february)  # in good time: the place is theirs at once
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    hand_over_booking(waiting, to_email=colleague.email, now=in_february)
    hand_back = Booking.objects.get(session=session, person=colleague, status="confirmed")
    choose_calendar_invites(colleague, invites=False)
    colleague.refresh_from_db()
    hand_over_booking(hand_back, to_email=feed_only.email, now=in_february)
    to_them = [m for m in sent() if m.to == [feed_only.email]]
    assert len(to_them) >= 4
    for mail in to_them:
        assert invites_in([mail]) == [], mail.subject
        for words in ("invite is attached", "send a calendar invite", "attached update", "attached invite"):
            assert words not in mail.body, (mail.subject, words)
    waitlisted = next(m for m in to_them if "waiting list" in m.body and "number" in m.body)
    assert "add it to your calendar feed" in waitlisted.body
