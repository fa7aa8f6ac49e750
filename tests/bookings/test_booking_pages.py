from datetime import timedelta

from django.utils import timezone

from bookings.models import Booking
from bookings.services import book_place
from charging.models import ChargingPolicy
from lib.dates import LONDON


def test_booking_from_the_session_page(client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Book a place" in page and "may be charged £50.00" in page
    response = client.post(f"/sessions/{session.pk}/book/", follow=True)
    assert "You are booked" in response.content.decode()
    assert Booking.objects.get().status == "confirmed"
    assert "You are booked on this session" in client.get(f"/sessions/{session.pk}/").content.decode()


def test_booking_is_confirmed_once_in_your_place_not_in_a_banner_as_well(client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    response = client.post(f"/sessions/{session.pk}/book/")
    assert response.url == f"/sessions/{session.pk}/#your-place"  # the page opens where the button was
    page = client.get(response.url).content.decode()
    assert page.count("You are booked") == 1 and "govuk-notification-banner" not in page
    assert page.count("We have emailed you a calendar invite.") == 1
    assert 'id="your-place"' in page
    later = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "You are booked on this session" in later and "We have emailed you a calendar invite." not in later


def test_joining_the_waiting_list_is_said_once_beside_the_position(client, practitioner, colleague, soon_session):
    session = soon_session(capacity=1)
    book_place(session, colleague)
    client.force_login(practitioner)
    page = client.post(f"/sessions/{session.pk}/book/", follow=True).content.decode()
    assert "govuk-notification-banner" not in page
    assert page.count("waiting list. You are number 1 on the waiting list") == 1


def test_the_session_page_says_which_course_is_needed_first_before_anyone_presses_book(
        client, practitioner, make_course, make_session, soon_session, course):
    masterclass = make_course("CSA Masterclass", level="masterclass", prerequisites=[course])
    session = soon_session(course_=masterclass)
    client.force_login(practitioner)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "This course needs you to have attended Understanding Neglect and Local Procedures first." in page
    assert "Book a place" not in page and f'href="/courses/{masterclass.pk}/"' in page
    earlier = make_session(starts_at=timezone.now() - timedelta(days=60), now=timezone.now() - timedelta(days=90))
    Booking.objects.create(session=earlier, person=practitioner, status="attended")
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Book a place" in page and "needs you to have attended" not in page


def test_a_full_session_offers_the_waiting_list_and_shows_the_position(client, practitioner, colleague, soon_session):
    session = soon_session(capacity=1)
    book_place(session, colleague)
    client.force_login(practitioner)
    assert "Join the waiting list" in client.get(f"/sessions/{session.pk}/").content.decode()
    client.post(f"/sessions/{session.pk}/book/")
    assert "number 1 on the waiting list" in client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Waiting list: number 1" in client.get("/bookings/").content.decode()


def test_booking_errors_are_shown_not_500(client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    client.post(f"/sessions/{session.pk}/book/")
    response = client.post(f"/sessions/{session.pk}/book/", follow=True)
    assert response.status_code == 200
    assert "already have a place" in response.content.decode()


def test_cancel_page_says_plainly_whether_a_charge_may_follow(client, practitioner, make_session):
    now = timezone.now()
    soon = (now + timedelta(days=2)).astimezone(LONDON).replace(hour=9, minute=30, second=0, microsecond=0)
    session = make_session(starts_at=soon, now=now - timedelta(days=1), booking_closes_at=soon - timedelta(hours=1))
    booking = book_place(session, practitioner)
    client.force_login(practitioner)
    page = client.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert "late cancellation" in page and "£50.00" in page
    ChargingPolicy.objects.update(notice_working_days=0)
    page = client.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert "There is no charge" in page


def test_nobody_is_warned_of_a_charge_their_agency_is_exempt_from(client, practitioner, make_session, halton,
                                                                   business_unit):
    from charging.models import Charge
    from charging.services import change_policy
    from tests.conftest import sent

    change_policy(by=business_unit, exempt_agencies=[halton])  # a funding partner, say
    now = timezone.now()
    soon = (now + timedelta(days=2)).astimezone(LONDON).replace(hour=9, minute=30, second=0, microsecond=0)
    session = make_session(starts_at=soon, now=now - timedelta(days=1), booking_closes_at=soon - timedelta(hours=1))
    client.force_login(practitioner)
    assert "may be charged" not in client.get(f"/sessions/{session.pk}/").content.decode()
    booking = book_place(session, practitioner)
    page = client.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert "counts as a late cancellation" in page and "does not charge Halton Borough Council" in page
    assert "£50.00" not in page and "govuk-warning-text" not in page
    done = client.post(f"/bookings/{booking.pk}/cancel/", follow=True).content.decode()
    assert "There is no charge" in done and "may be charged" not in done
    booking.refresh_from_db()
    assert booking.status == "late_cancelled" and not Charge.objects.exists()
    told = [m for m in sent() if "is cancelled" in m.subject][-1]
    assert "does not charge your agency" in told.body and "may charge" not in told.body


def test_the_booking_email_warns_of_a_charge_only_where_one_could_follow(practitioner, outsider, soon_session,
                                                                         halton, business_unit):
    from charging.services import change_policy
    from tests.conftest import sent

    change_policy(by=business_unit, exempt_agencies=[halton])
    session = soon_session()
    book_place(session, practitioner)  # Halton: exempt
    book_place(session, outsider)  # another agency: charged
    booked = {m.to[0]: m.body for m in sent() if m.subject.startswith("You are booked")}
    assert "may be charged" not in booked[practitioner.email]
    assert "a no-show or a late cancellation may be charged to your agency" in booked[outsider.email]


def test_cancelling_from_the_page(client, practitioner, soon_session):
    booking = book_place(soon_session(), practitioner)
    client.force_login(practitioner)
    page = client.get(f"/bookings/{booking.pk}/cancel/").content.decode()
    assert "There is no charge" in page
    response = client.post(f"/bookings/{booking.pk}/cancel/", follow=True)
    assert "Your booking is cancelled" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_someone_elses_booking_pages_are_404(client, practitioner, colleague, soon_session):
    booking = book_place(soon_session(), practitioner)
    client.force_login(colleague)
    assert client.get(f"/bookings/{booking.pk}/cancel/").status_code == 404
    assert client.post(f"/bookings/{booking.pk}/cancel/").status_code == 404
    assert client.post(f"/bookings/{booking.pk}/hand-over/", {"email": colleague.email}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_hand_over_page_shows_the_rule_that_was_broken(client, practitioner, outsider, colleague, soon_session):
    booking = book_place(soon_session(), practitioner)
    client.force_login(practitioner)
    page = client.post(f"/bookings/{booking.pk}/hand-over/", {"email": outsider.email}).content.decode()
    assert "only to a colleague at Halton Borough Council" in page
    response = client.post(f"/bookings/{booking.pk}/hand-over/", {"email": colleague.email})
    assert response.status_code == 302
    assert Booking.objects.get(person=colleague).status == "confirmed"


def test_my_bookings_shows_the_feed_address(client, practitioner):
    client.force_login(practitioner)
    page = client.get("/bookings/").content.decode()
    assert f"/calendar/feed/{practitioner.calendar_token}.ics" in page


def test_my_bookings_needs_sign_in(client, db):
    response = client.get("/bookings/")
    assert response.status_code == 302 and "login" in response.url


def test_the_session_page_says_when_booking_opens_or_closed_in_the_words_of_the_409(client, practitioner,
                                                                                   soon_session):
    from bookings.services.rules import why_booking_is_shut

    not_yet, closed = soon_session(), soon_session()
    not_yet.booking_opens_at = timezone.now() + timedelta(days=2)
    closed.booking_opens_at, closed.booking_closes_at = timezone.now() - timedelta(days=2), timezone.now() - timedelta(
        hours=1)
    not_yet.save()
    closed.save()
    client.force_login(practitioner)
    for session, words in ((not_yet, "Booking opens on"), (closed, "Booking closed on")):
        page = client.get(f"/sessions/{session.pk}/").content.decode()
        reason = why_booking_is_shut(session, now=timezone.now())
        assert reason.startswith(words) and reason in page
        assert "Book a place" not in page
        response = client.post(f"/api/v1/sessions/{session.pk}/book/")
        assert response.status_code == 409 and response.json()["detail"] == reason


def test_the_calendar_lists_what_the_person_has_to_do(client, practitioner, colleague, soon_session, past_session,
                                                      trainer):
    from attendance.services import close_register, mark
    from lib.dates import london
    from tests.conftest import confirmed

    session = soon_session(capacity=1)
    book_place(session, colleague)
    waiting = book_place(session, practitioner)
    client.force_login(practitioner)
    assert "For you to do" not in client.get("/").content.decode()

    deadline = timezone.now() + timedelta(hours=20)
    Booking.objects.filter(pk=waiting.pk).update(offer_expires_at=deadline)  # as a late promotion leaves it
    (went,) = confirmed(past_session, practitioner)
    mark(past_session, [(went.pk, "attended")], by=trainer, now=london(2030, 3, 14, 17, 0))
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))
    page = client.get("/").content.decode()
    assert "For you to do" in page
    assert f'href="/bookings/{waiting.pk}/offer/"' in page
    assert f"by {deadline.astimezone(LONDON):%H:%M}" in page
    assert f'href="/bookings/{went.pk}/evaluation/"' in page
    client.force_login(colleague)
    assert "For you to do" not in client.get("/").content.decode()


def test_the_business_unit_sees_who_is_booked_waiting_and_cancelled(client, business_unit, make_person, halton,
                                                                    soon_session):
    session = soon_session(capacity=3)
    now = timezone.now()
    people = {name: make_person(f"{name.lower()}.staff@halton.gov.uk", halton, name=name)
              for name in ("Zoe", "Adam", "Beth", "Carl", "Dina", "Evan")}
    Booking.objects.create(session=session, person=people["Zoe"], status="confirmed")
    Booking.objects.create(session=session, person=people["Adam"], status="pending_approval",
                           line_manager_email="boss@halton.gov.uk", approval_expires_at=now + timedelta(days=2))
    Booking.objects.create(session=session, person=people["Beth"], status="waitlisted",
                           waitlisted_at=now - timedelta(hours=1))
    Booking.objects.create(session=session, person=people["Carl"], status="waitlisted",  # joined first; offered
                           waitlisted_at=now - timedelta(hours=2), offer_expires_at=now + timedelta(hours=20))
    Booking.objects.create(session=session, person=people["Dina"], status="late_cancelled", cancelled_at=now)
    client.force_login(business_unit)
    assert f'href="/sessions/{session.pk}/bookings/"' in client.get(session.get_absolute_url()).content.decode()
    response = client.get(f"/sessions/{session.pk}/bookings/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert "3 of 3 places taken, 2 on the waiting list" in page
    assert "zoe.staff@halton.gov.uk" in page and "boss@halton.gov.uk" in page
    waiting = page.split("Waiting list (2)")[1].split("</table>")[0]
    assert waiting.index("Carl") < waiting.index("Beth") and "Offered a place, to answer by" in waiting
    assert "Cancelled late" in page.split("Cancelled (1)")[1] and "Evan" not in page

    rows = client.get(f"/sessions/{session.pk}/bookings/?format=csv").content.decode().splitlines()
    assert rows[0].startswith("Status,Waiting list position,Name,Email")
    assert rows[1].startswith("Booked,,Zoe,zoe.staff@halton.gov.uk")
    assert rows[2].startswith("Waiting for line manager approval,,Adam")
    assert rows[3].startswith("On the waiting list,1,Carl") and rows[4].startswith("On the waiting list,2,Beth")
    assert rows[5].startswith("Cancelled late,,Dina") and len(rows) == 6
    client.force_login(people["Zoe"])
    assert f'href="/sessions/{session.pk}/bookings/"' not in client.get(session.get_absolute_url()).content.decode()


def test_the_business_unit_messages_everyone_booked(client, business_unit, practitioner, colleague, outsider,
                                                    make_person, halton, soon_session):
    from courses.services import cancel_session
    from tests.conftest import sent

    session = soon_session(capacity=1)
    book_place(session, practitioner)
    book_place(session, colleague)  # waiting
    gone = make_person("gone@halton.gov.uk", halton, name="Gone Person")
    Booking.objects.create(session=session, person=gone, status="cancelled")
    client.force_login(business_unit)
    url = f"/sessions/{session.pk}/bookings/"
    blank = client.post(url, {"subject": " ", "body": "Hello"})
    assert "Enter a subject." in blank.content.decode()
    long = client.post(url, {"subject": "x" * 151, "body": "Hello"}).content.decode()
    assert "The subject must be 150 characters or fewer." in long and 'id="id_subject-error"' in long
    sent().clear()
    response = client.post(url, {"subject": "Room change: Council Chamber", "body": "We have moved to the\n"
                                 "Council Chamber, first floor."}, follow=True)
    assert "Your message is on its way to 1 person." in response.content.decode()
    [email] = sent()
    assert email.to == [practitioner.email]
    assert email.subject.endswith(": Room change: Council Chamber")
    assert "Council Chamber, first floor." in email.body and "Beth Morris, for" in email.body
    assert "Room change: Council Chamber" in client.get(url).content.decode()  # in the messages sent

    client.post(url, {"subject": "Bring your laptop", "body": "Please.", "include_waiting": "on"})
    assert sorted(m.to[0] for m in sent()[1:]) == sorted([practitioner.email, colleague.email])
    cancel_session(session)
    refused = client.post(url, {"subject": "Too late", "body": "Anyone?"}).content.decode()
    assert "everyone booked has already been told" in refused
    assert session.messages.count() == 2
