import pytest

from bookings.models import Booking
from bookings.services import book_place


def test_booking_through_the_api(api_as, practitioner, soon_session):
    session = soon_session()
    response = api_as(practitioner).post(f"/api/v1/sessions/{session.pk}/book/")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "confirmed"
    assert data["person"] == {"id": practitioner.pk, "name": "Priya Shah", "agency": "halton-bc"}
    assert data["session"] == session.pk


def test_booking_a_full_session_joins_the_waiting_list(api_as, practitioner, colleague, soon_session):
    session = soon_session(capacity=1)
    api_as(colleague).post(f"/api/v1/sessions/{session.pk}/book/")
    data = api_as(practitioner).post(f"/api/v1/sessions/{session.pk}/book/").json()
    assert (data["status"], data["waitlist_position"]) == ("waitlisted", 1)


def test_booking_twice_is_409_and_changes_nothing(api_as, practitioner, soon_session):
    session = soon_session()
    client = api_as(practitioner)
    client.post(f"/api/v1/sessions/{session.pk}/book/")
    response = client.post(f"/api/v1/sessions/{session.pk}/book/")
    assert response.status_code == 409
    assert "already have a place" in response.json()["detail"]
    assert Booking.objects.count() == 1


def test_booking_needs_sign_in(api, soon_session):
    session = soon_session()
    assert api.post(f"/api/v1/sessions/{session.pk}/book/").status_code in (401, 403)
    assert api.post("/api/v1/sessions/999999/book/").status_code in (401, 403, 404)


def test_booking_an_unknown_session_is_404(api_as, practitioner):
    assert api_as(practitioner).post("/api/v1/sessions/999999/book/").status_code == 404
    # past any id the database can hold: still 404, not an error from PostgreSQL
    assert api_as(practitioner).post("/api/v1/sessions/99999999999999999999/book/").status_code == 404


def test_a_bad_line_manager_email_is_400(api_as, practitioner, soon_session):
    session = soon_session()
    response = api_as(practitioner).post(f"/api/v1/sessions/{session.pk}/book/", {"line_manager_email": "boss"},
                                         format="json")
    assert response.status_code == 400
    assert "line_manager_email" in response.json()["errors"]


def test_people_see_their_own_bookings_and_managers_their_agencys(api_as, practitioner, colleague, outsider,
                                                                  agency_manager, finance, soon_session):
    session = soon_session()
    mine = Booking.objects.create(session=session, person=practitioner, status="confirmed")
    Booking.objects.create(session=session, person=outsider, status="confirmed")
    ids = lambda who: sorted(b["id"] for b in api_as(who).get("/api/v1/bookings/").json()["results"])  # noqa: E731
    assert ids(practitioner) == [mine.pk]
    assert ids(colleague) == []
    assert ids(agency_manager) == [mine.pk]  # Halton's manager sees Halton's people only
    assert len(ids(finance)) == 2


def test_a_trainer_sees_the_bookings_of_their_own_session(api_as, trainer, practitioner, soon_session, course):
    from courses.services import add_to_pool

    add_to_pool(course, trainer)
    session = soon_session(trainers=[trainer])
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    data = api_as(trainer).get("/api/v1/bookings/", {"session": session.pk}).json()
    assert [b["person"]["name"] for b in data["results"]] == ["Priya Shah"]


def test_cancelling_through_the_api(api_as, practitioner, soon_session):
    session = soon_session()
    booking = book_place(session, practitioner)
    response = api_as(practitioner).post(f"/api/v1/bookings/{booking.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"]


def test_nobody_cancels_someone_elses_booking(api_as, practitioner, colleague, agency_manager, soon_session):
    session = soon_session()
    booking = book_place(session, practitioner)
    assert api_as(colleague).post(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 404
    assert api_as(agency_manager).post(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 403
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_business_unit_cancels_for_someone(api_as, business_unit, practitioner, soon_session):
    booking = book_place(soon_session(), practitioner)
    assert api_as(business_unit).post(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 200


@pytest.mark.parametrize(("email", "status", "words"), [
    ("tom@halton.gov.uk", 201, None),
    ("olly@cheshire.police.uk", 400, "colleague at Halton"),
    ("not-an-email", 400, "valid email"),
])
def test_transfer_through_the_api(api_as, practitioner, colleague, outsider, soon_session, email, status, words):
    booking = book_place(soon_session(), practitioner)
    response = api_as(practitioner).post(f"/api/v1/bookings/{booking.pk}/transfer/", {"email": email},
                                         format="json")
    assert response.status_code == status, response.json()
    if words:
        assert words in response.json()["detail"]
    else:
        assert response.json()["person"]["name"] == "Tom Walsh"


def test_only_the_person_can_transfer(api_as, business_unit, practitioner, colleague, soon_session):
    booking = book_place(soon_session(), practitioner)
    response = api_as(business_unit).post(f"/api/v1/bookings/{booking.pk}/transfer/", {"email": colleague.email},
                                          format="json")
    assert response.status_code == 403


def test_unknown_status_filter_is_400(api_as, practitioner):
    response = api_as(practitioner).get("/api/v1/bookings/", {"status": "lost"})
    assert response.status_code == 400
    assert "confirmed" in response.json()["detail"]
