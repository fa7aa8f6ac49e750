"""Numbers in queries and forms: digits int() refuses (such as ²) or ids past any table are bad input,
never a 500."""

import pytest

from lib.params import MAX_ID, whole_number
from tests.test_date_input import Form


@pytest.mark.parametrize(("raw", "expected"), [
    ("42", 42), (" 7 ", 7), ("²", None), ("-3", None), ("0", None), ("4.5", None), ("", None), (None, None),
    (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("9" * 400, None),
])
def test_whole_number(raw, expected):
    assert whole_number(raw) == expected


def test_the_api_answers_400_for_a_session_filter_int_cannot_read(api_as, business_unit):
    for value in ("²", "99999999999999999999999"):
        response = api_as(business_unit).get("/api/v1/bookings/", {"session": value})
        assert response.status_code == 400, value
        assert "whole number" in response.json()["detail"]
    assert api_as(business_unit).get("/api/v1/sessions/", {"course": "²"}).status_code == 400


def test_pages_take_odd_numbers_in_their_stride(client, business_unit, finance):
    client.force_login(business_unit)
    for year in ("99999", "0", "²"):
        assert client.get("/reports/annual/", {"year": year}).status_code == 200, year
    assert client.get("/sessions/new/", {"like": "²"}).status_code == 200
    client.force_login(finance)
    response = client.post("/charges/approve/", {"charge": ["²", "99999999999999999999999"]}, follow=True)
    assert "Tick the charges to approve." in response.content.decode()


def test_a_date_box_with_a_digit_int_cannot_read_is_explained():
    form = Form({"when_day": "²", "when_month": "4", "when_year": "2025"})
    assert not form.is_valid()
    assert form.errors["when"] == ["Date used must be a real date, in numbers, such as 24 10 2025"]


def test_correcting_a_mark_on_a_booking_that_is_not_a_number_is_a_404(client, business_unit, make_session):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    session = make_session(starts_at=now - timedelta(days=2), now=now - timedelta(days=30))
    client.force_login(business_unit)
    for booking in ("abc", "²"):
        response = client.post(f"/sessions/{session.pk}/register/",
                               {"action": "correct", "booking": booking, "outcome": "attended", "reason": "x"})
        assert response.status_code == 404, booking


def test_a_date_box_past_any_machine_number_is_explained():
    form = Form({"when_day": "9" * 30, "when_month": "4", "when_year": "2025"})
    assert not form.is_valid()
    assert form.errors["when"] == ["Date used must be a real date"]


@pytest.mark.parametrize("course", [1.5, True, "1.5", "", [1], {"id": 1}, 2**70, -1])
def test_an_id_that_is_not_a_whole_number_is_a_400_and_schedules_nothing(api_as, business_unit, course, make_course):
    from courses.models import Session

    make_course()
    body = {"course": course, "capacity": 10, "venue": "Runcorn", "format": "in_person",
            "parts": [{"starts_at": "2030-03-14T09:30:00Z", "ends_at": "2030-03-14T12:30:00Z"}]}
    response = api_as(business_unit).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 400
    assert "course" in response.json()["errors"]
    assert not Session.objects.exists()


def test_a_prerequisite_with_a_fractional_id_is_a_400(api_as, business_unit, make_course):
    from courses.models import Course

    first = make_course()
    response = api_as(business_unit).post("/api/v1/courses/", {
        "title": "Next", "level": "basic", "theme": "Neglect", "summary": "s", "duration_minutes": 60,
        "prerequisites": [first.pk + 0.5]}, format="json")
    assert response.status_code == 400
    assert "whole number" in response.json()["detail"]
    assert Course.objects.count() == 1


@pytest.mark.parametrize("booking", [1.5, True, 2**70])
def test_a_mark_for_an_id_that_is_not_a_whole_number_is_a_400(api_as, business_unit, booking, past_session):
    response = api_as(business_unit).post(f"/api/v1/sessions/{past_session.pk}/register/",
                                          {"marks": [{"booking": booking, "outcome": "attended"}]}, format="json")
    assert response.status_code == 400
