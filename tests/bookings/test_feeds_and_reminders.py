from datetime import timedelta

from bookings.models import Booking
from bookings.services import book_place, send_reminders
from lib.dates import london
from tests.conftest import sent

IN_FEBRUARY = london(2030, 2, 1, 10, 0)


def test_public_feed_lists_scheduled_sessions(client, soon_session):
    session = soon_session()
    response = client.get("/calendar/sessions.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"UID:session-{session.pk}@training-hub" in body
    assert "Understanding Neglect" in body


def test_personal_feed_works_until_renewed(client, soon_session, practitioner):
    session = soon_session()
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    old = practitioner.calendar_token
    body = client.get(f"/calendar/feed/{old}.ics").content.decode()
    assert "Understanding Neglect" in body
    client.force_login(practitioner)
    assert client.post("/bookings/feed/renew/").status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.calendar_token != old
    assert client.get(f"/calendar/feed/{old}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{practitioner.calendar_token}.ics").status_code == 200


def test_reminders_go_once_however_often_beat_runs(session, practitioner, colleague):
    book_place(session, practitioner, now=IN_FEBRUARY)
    sent().clear()
    fourteen_days_before = london(2030, 2, 28, 10, 0)
    assert send_reminders(now=fourteen_days_before) == 1
    assert send_reminders(now=fourteen_days_before + timedelta(hours=1)) == 0
    five_days_before = london(2030, 3, 9, 10, 0)
    assert send_reminders(now=five_days_before) == 1
    assert send_reminders(now=five_days_before) == 0
    subjects = [m.subject for m in sent()]
    assert subjects == ["Reminder: Understanding Neglect and Local Procedures on 14 March 2030",
                        "Joining instructions: Understanding Neglect and Local Procedures on 14 March 2030"]


def test_a_late_booker_gets_joining_instructions_but_no_reminder(session, practitioner):
    book_place(session, practitioner, now=london(2030, 3, 10, 10, 0))
    assert send_reminders(now=london(2030, 3, 10, 11, 0)) == 1
    assert sent()[-1].subject.startswith("Joining instructions")
    assert "Arriving more than 30 minutes late counts as a no-show" in sent()[-1].body


def test_no_reminder_for_a_cancelled_booking(session, practitioner):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    from bookings.services import cancel_booking

    cancel_booking(booking, by=practitioner, now=IN_FEBRUARY)
    assert send_reminders(now=london(2030, 3, 10, 10, 0)) == 0


def _uids(ics: str) -> set[str]:
    return {line.split(":", 1)[1].strip() for line in ics.splitlines() if line.startswith("UID:")}


def test_the_personal_feed_has_uids_of_its_own_never_the_emailed_invites(client, soon_session, practitioner):
    from tests.conftest import invites_in

    book_place(soon_session(), practitioner)
    [(_, invite)] = invites_in(sent())
    feed = client.get(f"/calendar/feed/{practitioner.calendar_token}.ics").content.decode()
    assert _uids(feed) and not _uids(feed) & _uids(invite)  # one never overwrites the other
    assert _uids(client.get(f"/calendar/feed/{practitioner.calendar_token}.ics").content.decode()) == _uids(feed)


def test_a_person_who_chose_the_feed_gets_no_invites_for_new_bookings(client, soon_session, practitioner, outsider):
    from bookings.services import cancel_booking
    from tests.conftest import invites_in

    client.force_login(practitioner)
    response = client.post("/bookings/calendar-invites/", {"calendar_invites": "feed"})
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.calendar_invites is False
    booking = book_place(soon_session(), practitioner)
    [email] = sent()
    assert invites_in([email]) == [] and email.attachments == []
    assert "It is in your calendar feed" in email.body and "invite is attached" not in email.body
    feed = client.get(f"/calendar/feed/{practitioner.calendar_token}.ics").content.decode()
    assert "Understanding Neglect" in feed
    sent().clear()
    cancel_booking(booking, by=practitioner)
    assert invites_in(sent()) == []  # no invite went, so there is nothing to cancel in a calendar
    other = book_place(soon_session(), outsider)  # people who keep invites still get them
    assert [method for method, _ in invites_in([m for m in sent() if m.to == [outsider.email]])] == ["REQUEST"]
    assert other.invite_sequence == 1


def test_invites_already_sent_keep_their_updates_and_cancellation_after_choosing_the_feed(soon_session,
                                                                                        practitioner):
    from bookings.services import cancel_booking, session_changed
    from people.services import choose_calendar_invites
    from tests.conftest import invites_in

    booking = book_place(soon_session(), practitioner)
    choose_calendar_invites(practitioner, invites=False)
    booking.refresh_from_db()
    session_changed(booking.session)
    cancel_booking(booking, by=practitioner)
    assert [method for method, _ in invites_in(sent())] == ["REQUEST", "REQUEST", "CANCEL"]


def test_the_bookings_page_says_to_use_the_invites_or_the_feed_not_both(client, practitioner):
    client.force_login(practitioner)
    page = client.get("/bookings/").content.decode()
    assert "Use either the calendar invites we email you or your calendar feed, not both" in page
    assert 'value="email" checked' in page
    assert client.post("/bookings/calendar-invites/", {"calendar_invites": "sometimes"}).status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.calendar_invites is True  # a choice that is not one of the two changes nothing
    assert "not both" in client.get("/account/").content.decode()
