import pytest

from bookings.models import Booking
from bookings.services import book_place, cancel_booking
from lib.dates import london
from lib.errors import Conflict, Invalid
from tests.conftest import invites_in, sent

IN_FEBRUARY = london(2030, 2, 1, 10, 0)  # well before the 14 March session's notice period


def test_booking_confirms_a_place_and_sends_an_invite(session, practitioner):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    assert booking.status == "confirmed"
    assert sent()[-1].to == ["priya@halton.gov.uk"]
    assert "You are booked on" in sent()[-1].subject
    [(method, ics)] = invites_in(sent())
    assert method == "REQUEST"
    assert f"UID:booking-{booking.pk}@training-hub" in ics


def test_full_session_puts_person_on_waitlist(make_session, practitioner, colleague, outsider):
    session = make_session(capacity=1)
    book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    third = book_place(session, outsider, now=IN_FEBRUARY)
    assert (second.status, third.status) == ("waitlisted", "waitlisted")
    assert "number 2 on the waiting list" in sent()[-1].body
    assert invites_in(sent()[1:]) == []  # no invite for a place not held


def test_full_session_without_a_waiting_list_is_a_conflict(make_session, practitioner, colleague):
    session = make_session(capacity=1, )
    session.waiting_list = False
    session.save()
    book_place(session, practitioner, now=IN_FEBRUARY)
    with pytest.raises(Conflict, match="full and has no waiting list"):
        book_place(session, colleague, now=IN_FEBRUARY)
    assert not Booking.objects.filter(person=colleague).exists()


def test_booking_twice_is_a_conflict(session, practitioner):
    book_place(session, practitioner, now=IN_FEBRUARY)
    with pytest.raises(Conflict, match="already have a place"):
        book_place(session, practitioner, now=IN_FEBRUARY)
    assert Booking.objects.count() == 1


def test_rebooking_after_cancelling_is_allowed(session, practitioner):
    first = book_place(session, practitioner, now=IN_FEBRUARY)
    cancel_booking(first, by=practitioner, now=IN_FEBRUARY)
    assert book_place(session, practitioner, now=IN_FEBRUARY).status == "confirmed"


@pytest.mark.parametrize(("when", "words"), [
    (london(2030, 1, 1, 9, 0), "Booking opens on 6 January 2030"),
    (london(2030, 3, 11, 17, 0), "Booking closed on 11 March 2030"),
    (london(2030, 3, 14, 10, 0), "already started"),
])
def test_booking_outside_the_window_is_refused(session, practitioner, when, words):
    with pytest.raises(Conflict, match=words):
        book_place(session, practitioner, now=when)
    assert not Booking.objects.exists()


def test_a_cancelled_session_cannot_be_booked(session, practitioner):
    from courses.services import cancel_session

    cancel_session(session)
    with pytest.raises(Conflict, match="cancelled"):
        book_place(session, practitioner, now=IN_FEBRUARY)


def test_masterclass_needs_the_intermediate_course_attended(make_course, make_session, course, practitioner):
    masterclass = make_course("CSA Masterclass", level="masterclass", prerequisites=[course])
    later = make_session(course_=masterclass, starts_at=london(2030, 3, 28, 9, 30))
    with pytest.raises(Conflict, match="attended Understanding Neglect and Local Procedures first"):
        book_place(later, practitioner, now=IN_FEBRUARY)
    earlier = make_session(starts_at=london(2029, 11, 1, 9, 30), now=london(2029, 10, 1))
    Booking.objects.create(session=earlier, person=practitioner, status="attended")
    assert book_place(later, practitioner, now=IN_FEBRUARY).status == "confirmed"


def test_only_the_prerequisites_not_attended_are_named(make_course, make_session, course, practitioner, colleague):
    other = make_course("Domestic Abuse and Children")
    masterclass = make_course("CSA Masterclass", level="masterclass", prerequisites=[course, other])
    later = make_session(course_=masterclass, starts_at=london(2030, 3, 28, 9, 30))
    earlier = make_session(starts_at=london(2029, 11, 1, 9, 30), now=london(2029, 10, 1))
    Booking.objects.create(session=earlier, person=practitioner, status="attended")
    Booking.objects.create(session=earlier, person=colleague, status="no_show")
    with pytest.raises(Conflict) as refused:
        book_place(later, practitioner, now=IN_FEBRUARY)
    assert str(refused.value) == "This course needs you to have attended Domestic Abuse and Children first."
    with pytest.raises(Conflict, match="attended Domestic Abuse and Children and Understanding Neglect"):
        book_place(later, colleague, now=IN_FEBRUARY)


def test_agency_asking_for_approval_needs_the_line_managers_email(session, practitioner, halton):
    halton.requires_line_manager_approval = True
    halton.save()
    practitioner.refresh_from_db()
    with pytest.raises(Invalid, match="line manager"):
        book_place(session, practitioner, now=IN_FEBRUARY)
    booking = book_place(session, practitioner, line_manager_email="Boss@Halton.gov.uk", now=IN_FEBRUARY)
    assert booking.status == "pending_approval"
    assert booking.line_manager_email == "boss@halton.gov.uk"
    to_manager = [m for m in sent() if m.to == ["boss@halton.gov.uk"]]
    assert "/approvals/" in to_manager[0].body
    assert invites_in(sent()) == []


def test_booking_takes_a_fixed_number_of_queries(make_session, practitioner, colleague, django_assert_max_num_queries):
    """The policy, then (in a savepoint here) the session under its lock, one count of what the rules need
    (places taken, people waiting, the person's live booking and recent no-shows) and two inserts.

    However many bookings the person or the session already has.
    """
    session = make_session(capacity=1)
    for _ in range(3):
        book_place(make_session(capacity=5), colleague, now=IN_FEBRUARY)
    with django_assert_max_num_queries(7):
        book_place(session, practitioner, now=IN_FEBRUARY)
    with django_assert_max_num_queries(7):
        book_place(session, colleague, now=IN_FEBRUARY)  # the waiting list: the same statements


def test_a_message_to_everyone_booked_checks_what_it_is_given(make_session, practitioner, business_unit):
    from bookings.services.notices import message_everyone

    session = make_session()
    with pytest.raises(Conflict, match="Nobody holds a place"):
        message_everyone(session, subject="Hello", body="Hi", by=business_unit)
    book_place(session, practitioner, now=london(2030, 2, 1))
    for subject, body, field in [("  ", "Hi", "subject"), ("x" * 151, "Hi", "subject"), ("Hello", "\n ", "body"),
                                 ("Hello", "x" * 5001, "body")]:
        with pytest.raises(Invalid) as caught:
            message_everyone(session, subject=subject, body=body, by=business_unit)
        assert caught.value.field == field
    record = message_everyone(session, subject="Room\nchange", body=" Now in Room 2. ", by=business_unit)
    assert (record.subject, record.body, record.recipients) == ("Room change", "Now in Room 2.", 1)
    Booking.objects.filter(session=session).update(status="attended")  # after the register: those who came
    assert message_everyone(session, subject="The slides", body="Attached.", by=business_unit).recipients == 1
    Booking.objects.filter(session=session).update(status="no_show")
    with pytest.raises(Conflict, match="Nobody holds a place"):
        message_everyone(session, subject="The slides", body="Attached.", by=business_unit)
