"""Places left as the viewer can book them.

On a network hub the calendar, a course's page, a session's page and GET /api/v1/sessions/ show the places
the viewer may actually take: signed in, the general places and their own partnership's unused kept places;
signed out, the general places with a note of what is kept and until when. A hub of one shows every place.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking
from lib.dates import london
from people import roles
from people.models import Agency, Partnership
from people.partnerships import default_partnership

KEPT_UNTIL = london(2030, 2, 20, 12, 0)
NOTE = "10 places kept for Warrington Safeguarding Partnership until 20 February"
API = "/api/v1/sessions/"
PARAMS = {"starts_after": "2030-01-01T00:00:00+00:00"}


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership",
                                      contact_email="training@warrington.gov.uk")


@pytest.fixture
def wendy(make_person, warrington):
    agency = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council", kind="statutory_partner")
    agency.partnerships.add(warrington)
    person = make_person("wendy@warrington.gov.uk", agency, roles.PRACTITIONER, name="Wendy Hale")
    person.home_partnership = warrington
    person.save()
    return person


@pytest.fixture
def kept_session(make_session, practitioner, warrington):
    """Halton's session of 12, open to the network, keeping 10 for Warrington; Priya (Halton) has one place:
    1 general place left, and Warrington's 10."""
    session = make_session(capacity=12, open_to="network", reserved_until=KEPT_UNTIL,
                           reserved_places={"warrington": 10})
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    return session


def main_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1]


def test_signed_out_the_listings_show_the_general_places_and_what_is_kept(client, kept_session):
    for url in ("/", f"/courses/{kept_session.course_id}/", f"/sessions/{kept_session.pk}/"):
        page = main_of(client, url)
        assert "1 of 12" in page, url
        assert "11 of 12" not in page, url
        assert NOTE in page, url


def test_signed_in_each_person_sees_what_their_partnership_may_take(client, kept_session, practitioner, wendy):
    client.force_login(wendy)
    for url in ("/", f"/courses/{kept_session.course_id}/", f"/sessions/{kept_session.pk}/"):
        page = main_of(client, url)
        assert "11 of 12" in page, url  # the general place and Warrington's 10
        assert "kept for Warrington" not in page, url
    client.force_login(practitioner)  # Halton's: Warrington's places are not theirs
    for url in ("/", f"/courses/{kept_session.course_id}/"):
        page = main_of(client, url)
        assert "1 of 12" in page and NOTE in page, url


def test_the_kept_places_count_down_as_their_partnerships_people_take_them(client, kept_session, wendy):
    Booking.objects.create(session=kept_session, person=wendy, status="confirmed")
    page = main_of(client, "/")
    assert "1 of 12" in page
    assert "9 places kept for Warrington Safeguarding Partnership until 20 February" in page
    client.force_login(wendy)
    assert "10 of 12" in main_of(client, "/")


def test_after_the_kept_moment_every_free_place_is_everyones(client, make_session, warrington, practitioner):
    session = make_session(capacity=12, open_to="network", reserved_until=london(2030, 2, 20, 12, 0),
                           reserved_places={"warrington": 10})
    session.reserved_until = london(2020, 1, 1, 12, 0)  # long gone, whether or not the release task ran
    session.save()
    page = main_of(client, "/")
    assert "12 of 12" in page and "kept for" not in page


def test_the_sessions_api_gives_the_places_the_requester_may_book(api_as, kept_session, practitioner, wendy):
    assert api_as(wendy).get(API, PARAMS).json()["results"][0]["places_left"] == 11
    assert api_as(practitioner).get(API, PARAMS).json()["results"][0]["places_left"] == 1
    assert api_as(wendy).get(f"{API}{kept_session.pk}/").json()["places_left"] == 11


def test_the_calendar_keeps_a_constant_number_of_queries_with_kept_places(client, make_session, kept_session, wendy):
    client.force_login(wendy)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for day in range(1, 6):
        make_session(starts_at=london(2030, 4, day, 9, 30), open_to="network", reserved_until=KEPT_UNTIL,
                     reserved_places={"warrington": 2, "halton": 1})
    assert count() == few


def test_a_hub_of_one_keeping_places_for_its_only_partnership_shows_every_place(client, make_session,
                                                                                  practitioner):
    session = make_session(capacity=12, reserved_until=KEPT_UNTIL, reserved_places={"halton": 10})
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    for url in ("/", f"/courses/{session.course_id}/", f"/sessions/{session.pk}/"):
        page = main_of(client, url)
        assert "11 of 12" in page and "kept for" not in page, url


def test_full_only_when_no_place_is_left_at_all(client, make_session, practitioner, wendy, business_unit):
    """Every free place kept for Warrington: not "Full" for Halton's people, but the places and for whom; the
    business unit's programme shows the places kept beside the places taken."""
    session = make_session(capacity=3, open_to="network", reserved_until=KEPT_UNTIL,
                           reserved_places={"warrington": 2})
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    note = "2 places kept for Warrington Safeguarding Partnership until 20 February"
    client.force_login(practitioner)
    for url in ("/", f"/courses/{session.course_id}/"):
        page = main_of(client, url)
        assert "Full" not in page, url
        assert "2 of 3, each kept for another partnership: join the waiting list" in page and note in page, url
    client.force_login(business_unit)
    programme = main_of(client, "/programme/")
    assert "govuk-tag--green\">Full" not in programme
    assert "1 of 3" in programme and note in programme
    for person in (business_unit, wendy):  # the last places taken: now it is full
        Booking.objects.create(session=session, person=person, status="confirmed")
    assert "govuk-tag--green\">Full" in main_of(client, "/programme/")
    client.force_login(practitioner)
    assert "Full: join the waiting list" in main_of(client, "/")
