from datetime import timedelta

import pytest

from bookings.models import Booking
from courses import services
from courses.models import Session
from lib.dates import london

URL = "/api/v1/sessions/"


def body(course_obj, **overrides):
    data = {
        "course": course_obj.pk,
        "capacity": 20,
        "format": "in_person",
        "venue": "Runcorn Town Hall",
        "parts": [{"starts_at": "2030-03-14T09:30:00+00:00", "ends_at": "2030-03-14T16:00:00+00:00"}],
    }
    return data | overrides


def test_business_unit_schedules_a_session_with_default_booking_window(api_as, business_unit, course, trainer):
    services.add_to_pool(course, trainer)
    response = api_as(business_unit).post(URL, body(course, trainers=[trainer.pk]), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["places_left"] == 20
    assert data["status"] == "scheduled"
    assert data["trainers"] == [{"id": trainer.pk, "name": "Sam Hughes", "agency": "cheshire-police"}]
    assert data["supported_by"] == ["Cheshire Constabulary"]
    # Thursday 14 March 2030: bookings close at 17:00 three working days before, Monday 11 March.
    assert data["booking_closes_at"] == "2030-03-11T17:00:00Z"


def test_multi_part_session_keeps_every_part_in_order(api_as, business_unit, course):
    parts = [
        {"starts_at": "2030-03-21T09:30:00+00:00", "ends_at": "2030-03-21T12:30:00+00:00"},
        {"starts_at": "2030-03-14T09:30:00+00:00", "ends_at": "2030-03-14T12:30:00+00:00"},
    ]
    response = api_as(business_unit).post(URL, body(course, parts=parts), format="json")
    assert response.status_code == 201
    assert [p["starts_at"] for p in response.json()["parts"]] == ["2030-03-14T09:30:00Z", "2030-03-21T09:30:00Z"]


def test_session_on_the_day_bst_starts_keeps_its_wall_clock_time(api_as, business_unit, course):
    parts = [{"starts_at": "2025-03-30T09:30:00+01:00", "ends_at": "2025-03-30T16:00:00+01:00"}]
    api_as(business_unit).post(
        URL, body(course, parts=parts, booking_opens_at="2025-01-01T09:00:00+00:00"), format="json"
    )
    session = Session.objects.get()
    assert session.starts_at == london(2025, 3, 30, 9, 30)
    assert session.starts_at.astimezone(london(2025, 1, 1).tzinfo).hour == 9


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"parts": [{"starts_at": "2030-03-14T09:30:00", "ends_at": "2030-03-14T16:00:00+00:00"}]}, "parts", "offset"),
        (
            {"parts": [{"starts_at": "2030-03-14T16:00:00+00:00", "ends_at": "2030-03-14T09:30:00+00:00"}]},
            "parts",
            "before it starts",
        ),
        (
            {
                "parts": [
                    {"starts_at": "2030-03-14T09:30:00+00:00", "ends_at": "2030-03-14T12:00:00+00:00"},
                    {"starts_at": "2030-03-14T11:00:00+00:00", "ends_at": "2030-03-14T13:00:00+00:00"},
                ]
            },
            "parts",
            "overlap",
        ),
        ({"parts": []}, "parts", "at least one"),
        ({"capacity": 0}, "capacity", "greater than or equal to 1"),
        ({"format": "hologram"}, "format", "not a valid choice"),
        ({"format": "online", "online_url": ""}, "online_url", "joining link"),
        ({"venue": "", "format": "in_person"}, "venue", "venue"),
        ({"course": 999999}, "course", "does not exist"),
        ({"booking_closes_at": "2030-03-15T09:00:00+00:00"}, "booking_closes_at", "before the session starts"),
    ],
)
def test_bad_session_input_gets_400_saying_what_is_wrong(api_as, business_unit, course, overrides, field, words):
    response = api_as(business_unit).post(URL, body(course, **overrides), format="json")
    assert response.status_code == 400, response.json()
    data = response.json()
    assert words in data["detail"]
    assert field in data["errors"] or field in str(data["errors"])
    assert Session.objects.count() == 0


def test_trainer_outside_the_pool_is_refused(api_as, business_unit, course, trainer):
    response = api_as(business_unit).post(URL, body(course, trainers=[trainer.pk]), format="json")
    assert response.status_code == 400
    assert "not in the trainer pool" in response.json()["detail"]


def test_trainer_already_delivering_at_an_overlapping_time_is_refused(
    api_as, business_unit, make_course, course, trainer, make_session
):
    other = make_course("Prevent")
    services.add_to_pool(course, trainer)
    services.add_to_pool(other, trainer)
    make_session(course_=other, starts_at=london(2030, 3, 14, 13, 0), minutes=60, trainers=[trainer])
    response = api_as(business_unit).post(URL, body(course, trainers=[trainer.pk]), format="json")
    assert response.status_code == 409
    assert "already delivering Prevent" in response.json()["detail"]
    assert Session.objects.count() == 1


def test_a_cancelled_session_does_not_hold_its_trainer(
    api_as, business_unit, make_course, course, trainer, make_session
):
    other = make_course("Prevent")
    services.add_to_pool(course, trainer)
    services.add_to_pool(other, trainer)
    clash = make_session(course_=other, starts_at=london(2030, 3, 14, 13, 0), minutes=60, trainers=[trainer])
    services.cancel_session(clash)
    response = api_as(business_unit).post(URL, body(course, trainers=[trainer.pk]), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("persona", ["practitioner", "trainer", "finance", "agency_manager"])
def test_only_the_business_unit_schedules_sessions(api_as, course, persona, request):
    response = api_as(request.getfixturevalue(persona)).post(URL, body(course), format="json")
    assert response.status_code == 403
    assert Session.objects.count() == 0


def test_anonymous_cannot_schedule(api, course):
    assert api.post(URL, body(course), format="json").status_code in (401, 403)


def test_anyone_can_list_sessions_with_places_left(api, session, practitioner, colleague):
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    Booking.objects.create(session=session, person=colleague, status="cancelled")
    data = api.get(URL, {"starts_after": "2030-01-01T00:00:00+00:00"}).json()
    assert data["count"] == 1
    assert data["results"][0]["places_left"] == 19
    assert data["results"][0]["waitlist_length"] == 0


def test_naive_filter_time_is_a_400(api):
    response = api.get(URL, {"starts_after": "2030-01-01T00:00:00"})
    assert response.status_code == 400
    assert "offset" in response.json()["detail"]


def test_unknown_level_filter_is_a_400(api):
    response = api.get(URL, {"level": "expert"})
    assert response.status_code == 400
    assert "basic, intermediate or masterclass" in response.json()["detail"]


def test_joining_link_shows_only_to_those_booked(api, api_as, make_session, practitioner, colleague):
    online = make_session(format="online", venue="", online_url="https://teams.microsoft.com/l/meetup-join/x")
    Booking.objects.create(session=online, person=practitioner, status="confirmed")
    params = {"starts_after": "2030-01-01T00:00:00+00:00"}
    assert api.get(URL, params).json()["results"][0]["online_url"] is None
    assert api_as(colleague).get(URL, params).json()["results"][0]["online_url"] is None
    assert api_as(practitioner).get(URL, params).json()["results"][0]["online_url"].startswith("https://teams")


def test_sessions_api_runs_a_constant_number_of_queries(
    api, make_session, course, trainer, django_assert_max_num_queries
):
    services.add_to_pool(course, trainer)
    for day in range(1, 4):
        make_session(starts_at=london(2030, 4, day, 9, 30), trainers=[trainer])

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL, {"starts_after": "2030-01-01T00:00:00+00:00"}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for day in range(7, 27):
        make_session(starts_at=london(2030, 4, day, 9, 30), trainers=[trainer])
    assert count() == few
    with django_assert_max_num_queries(6):
        api.get(URL, {"starts_after": "2030-01-01T00:00:00+00:00"})


def test_capacity_never_drops_below_places_taken(api_as, business_unit, session, practitioner, colleague):
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    Booking.objects.create(session=session, person=colleague, status="confirmed")
    response = api_as(business_unit).patch(f"{URL}{session.pk}/", {"capacity": 1}, format="json")
    assert response.status_code == 409
    assert "cannot go below 2" in response.json()["detail"]
    session.refresh_from_db()
    assert session.capacity == 20


def test_changing_times_raises_the_invite_sequence(api_as, business_unit, session):
    parts = [{"starts_at": "2030-03-14T10:00:00+00:00", "ends_at": "2030-03-14T16:00:00+00:00"}]
    response = api_as(business_unit).patch(f"{URL}{session.pk}/", {"parts": parts, "capacity": 30}, format="json")
    assert response.status_code == 200, response.json()
    session.refresh_from_db()
    assert session.sequence == 1
    assert session.capacity == 30
    assert session.starts_at == london(2030, 3, 14, 10, 0)


def test_cancelling_a_session_ends_every_booking_at_no_charge(api_as, business_unit, session, practitioner):
    booking = Booking.objects.create(session=session, person=practitioner, status="confirmed")
    response = api_as(business_unit).post(f"{URL}{session.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert api_as(business_unit).post(f"{URL}{session.pk}/cancel/").status_code == 409


def test_practitioner_cannot_cancel_a_session(api_as, practitioner, session):
    assert api_as(practitioner).post(f"{URL}{session.pk}/cancel/").status_code == 403
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_default_booking_close_skips_bank_holidays(course):
    # Tuesday 27 May 2025 follows the late May bank holiday: three working days back is Wednesday 21 May.
    closes = services.default_booking_closes_at(london(2025, 5, 27, 9, 30))
    assert closes == london(2025, 5, 21, 17, 0)
    assert closes - timedelta(days=0) < london(2025, 5, 27)
