"""bookings.api.booking_body: the booking's answer, built directly, reads as BookingSerializer writes it."""

from datetime import timedelta

import pytest

from bookings.api import BookingSerializer, booking_body
from bookings.models import Booking
from lib.dates import london

NOW = london(2030, 2, 1, 10, 0)
SUMMER = london(2030, 7, 1, 10, 0)  # British Summer Time: the times carry +01:00


@pytest.mark.parametrize("booked_at", [NOW, SUMMER])
def test_a_booking_reads_as_the_serializer_writes_it_in_every_state(session, practitioner, make_person, halton,
                                                                    booked_at):
    people = [practitioner, *(make_person(f"p{n}@halton.gov.uk", halton) for n in range(8))]
    states = [
        {"status": "confirmed"},
        {"status": "pending_approval"},
        {"status": "waitlisted", "waitlisted_at": booked_at},
        {"status": "waitlisted", "waitlisted_at": booked_at + timedelta(minutes=1),
         "offer_expires_at": booked_at + timedelta(hours=4)},
        {"status": "cancelled", "cancelled_at": booked_at + timedelta(days=1)},
        {"status": "late_cancelled", "cancelled_at": booked_at + timedelta(days=2)},
        {"status": "attended"},
        {"status": "partial"},
        {"status": "no_show"},
    ]
    bookings = [Booking.objects.create(session=session, person=person, booked_at=booked_at, **state)
                for person, state in zip(people, states, strict=True)]
    for booking in bookings:
        assert booking_body(booking) == BookingSerializer(booking).data
        fresh = Booking.objects.select_related("person__agency").get(pk=booking.pk)
        assert booking_body(fresh) == BookingSerializer(fresh).data
    bookings[2].known_position = 1
    assert booking_body(bookings[2]) == BookingSerializer(bookings[2]).data
    assert booking_body(bookings[2])["waitlist_position"] == 1


def test_a_person_with_no_agency_reads_the_same(session, make_person):
    loner = make_person("loner@example.org", None)
    booking = Booking.objects.create(session=session, person=loner, status="confirmed", booked_at=NOW)
    assert booking_body(booking) == BookingSerializer(booking).data
    assert booking_body(booking)["person"]["agency"] is None


def test_the_book_action_answers_with_the_body(api, practitioner, soon_session):
    session = soon_session()
    api.force_authenticate(practitioner)
    response = api.post(f"/api/v1/sessions/{session.pk}/book/", {}, format="json")
    assert response.status_code == 201
    booking = Booking.objects.get()
    assert response.json() == BookingSerializer(booking).data
