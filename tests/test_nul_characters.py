"""A NUL character (0x00) is refused with a 400 wherever it comes in; PostgreSQL would otherwise fail."""

from bookings.models import Booking


def test_a_form_field_with_a_nul_is_a_400_and_nothing_is_saved(client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    for data in ({"adjustments": "a\x00b"}, {"line_manager_email": "a\x00@halton.gov.uk"}):
        response = client.post(f"/sessions/{session.pk}/book/", data)
        assert response.status_code == 400
        assert "problem with that request" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_query_with_a_nul_is_a_400(client, business_unit):
    client.force_login(business_unit)
    assert client.get("/reports/evaluations/", {"q": "ERASE\x00"}).status_code == 400
    assert client.get("/api/v1/bookings/", {"status": "confirmed\x00"}).status_code == 400


def test_the_api_refuses_a_nul_in_a_json_body(api_as, practitioner, soon_session):
    session = soon_session()
    response = api_as(practitioner).post(f"/api/v1/sessions/{session.pk}/book/", {"adjustments": "a\x00b"},
                                         format="json")
    assert response.status_code == 400
    assert not Booking.objects.exists()
