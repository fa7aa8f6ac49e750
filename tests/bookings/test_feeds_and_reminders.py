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
