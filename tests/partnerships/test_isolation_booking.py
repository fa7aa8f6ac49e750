"""Isolation of booking: another partnership's people, whatever roles they hold there, cannot book a session
open only to Halton's people, through the API or the page, nor take the places Halton keeps for its own on a
session open to the network; a refusal names the partnership and reveals nobody booked."""

import pytest

from bookings.models import Booking
from people import roles
from people.models import Agency, Partnership
from people.partnerships import default_partnership
from people.services import grant_role

ROLES = [roles.PRACTITIONER, roles.BUSINESS_UNIT, roles.FINANCE, roles.TRAINER]
HALTON = "Halton Children and Young People Safeguarding Partnership"


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")


@pytest.fixture
def from_warrington(make_person, warrington):
    agency = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council", kind="statutory_partner")
    agency.partnerships.add(warrington)

    def make(role: str):
        person = make_person(f"{role}@warrington.gov.uk", agency, roles.PRACTITIONER)
        if role != roles.PRACTITIONER:
            grant_role(person, role, partnership=warrington)
        person.home_partnership = warrington
        person.save()
        return person

    return make


def _book_through(way: str, client, api_as, person, session):
    if way == "api":
        response = api_as(person).post(f"/api/v1/sessions/{session.pk}/book/", {}, format="json")
        return response.status_code, response.content.decode()
    client.force_login(person)
    response = client.post(f"/sessions/{session.pk}/book/", follow=True)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("way", ["api", "page"])
def test_another_partnerships_people_cannot_book_a_session_open_only_to_halton(
        client, api_as, soon_session, practitioner, from_warrington, role, way):
    session = soon_session(capacity=5)
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    status, said = _book_through(way, client, api_as, from_warrington(role), session)
    assert status == (403 if way == "api" else 200)
    assert f"open only to people of {HALTON}" in said
    assert practitioner.name not in said and practitioner.email not in said
    assert Booking.objects.filter(session=session).count() == 1


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("way", ["api", "page"])
def test_another_partnerships_people_cannot_take_places_halton_keeps(
        client, api_as, soon_session, practitioner, from_warrington, role, way):
    session = soon_session(capacity=2, open_to="network", reserved_places={"halton": 1})
    Booking.objects.create(session=session, person=practitioner, status="confirmed")  # Halton's kept place
    first = from_warrington(role)
    assert _book_through(way, client, api_as, first, session)[0] in (201, 200)
    assert Booking.objects.get(session=session, person=first).status == "confirmed"  # the general place
    session.reservations.update(places=2)  # Halton now keeps both: nothing is left for Warrington
    Booking.objects.filter(session=session, person=first).update(status="cancelled")
    status, said = _book_through(way, client, api_as, first, session)
    assert status in (201, 200)
    assert Booking.objects.filter(session=session, person=first).live().get().status == "waitlisted"
    assert practitioner.name not in said and practitioner.email not in said
