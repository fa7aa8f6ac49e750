"""The sessions API across the network: the delivering partnership, who may book, and places kept per
partnership; scheduling them, and the clear errors for what cannot be."""

import pytest

from courses.models import Session, SessionReservation
from lib.dates import london
from people.models import Partnership
from people.partnerships import default_partnership

URL = "/api/v1/sessions/"
PARAMS = {"starts_after": "2030-01-01T00:00:00+00:00"}


def body(course_obj, **overrides):
    data = {
        "course": course_obj.pk,
        "capacity": 10,
        "format": "in_person",
        "venue": "Runcorn Town Hall",
        "parts": [{"starts_at": "2030-03-14T09:30:00+00:00", "ends_at": "2030-03-14T16:00:00+00:00"}],
    }
    return data | overrides


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")


def test_a_session_shows_its_partnership_and_who_may_book(api, session):
    data = api.get(URL, PARAMS).json()["results"][0]
    assert data["partnership"] == "halton"
    assert data["open_to"] == "partnership"
    assert data["reserved_places"] == {}
    assert data["reserved_until"] is None


def test_the_business_unit_schedules_a_network_session_keeping_places(api_as, business_unit, course, warrington):
    response = api_as(business_unit).post(URL, body(course, open_to="network", reserved_places={"warrington": 4},
                                                    reserved_until="2030-02-20T12:00:00+00:00"), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["open_to"], data["reserved_places"], data["reserved_until"]) == (
        "network", {"warrington": 4}, "2030-02-20T12:00:00Z")
    session = Session.objects.get(pk=data["id"])
    assert session.reserved_until == london(2030, 2, 20, 12, 0)
    assert session.reservations.get().partnership == warrington


def test_kept_places_last_until_the_booking_close_unless_told(api_as, business_unit, course, warrington):
    response = api_as(business_unit).post(URL, body(course, open_to="network", reserved_places={"warrington": 4}),
                                          format="json")
    assert response.json()["reserved_until"] == response.json()["booking_closes_at"] == "2030-03-11T17:00:00Z"
    assert Session.objects.get(pk=response.json()["id"]).reserved_until is None


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"open_to": "network", "reserved_places": {"warrington": 8, "halton": 3}}, "reserved_places",
     "11 places are reserved for partnerships but the session has only 10: reserve no more than its places."),
    ({"open_to": "network", "reserved_places": {"wigan": 2}}, "reserved_places",
     "There is no partnership 'wigan' to reserve places for: choose from halton, warrington."),
    ({"open_to": "network", "reserved_places": {"\u0000\u202e" + "x" * 5000: 2}}, "reserved_places",
     "There is no partnership"),
    ({"open_to": "network", "reserved_places": {"warrington": 2}, "reserved_until": "2030-03-14T09:31:00+00:00"},
     "reserved_until", "Reserved places must be released by the time the session starts (14 March 2030 at 09:30)"),
    ({"reserved_places": {"warrington": 2}}, "reserved_places",
     "Places can be reserved for another partnership only on a session open to the network"),
    ({"open_to": "everyone"}, "open_to", ""),
    ({"reserved_places": {"warrington": -1}}, "reserved_places", ""),
    ({"reserved_places": ["warrington"]}, "reserved_places", ""),
])
def test_what_cannot_be_kept_is_refused_clearly(api_as, business_unit, course, warrington, changes, field, words):
    response = api_as(business_unit).post(URL, body(course, **changes), format="json")
    assert response.status_code == 400, response.json()
    assert words in response.json()["detail"]
    assert field in response.json().get("errors", {field: None})
    assert not Session.objects.exists()


def test_a_change_replaces_the_kept_places_and_frees_places_for_those_waiting(api_as, business_unit, make_session,
                                                                               warrington):
    session = make_session(capacity=4, open_to="network", reserved_places={"warrington": 3})
    response = api_as(business_unit).patch(f"{URL}{session.pk}/", {"reserved_places": {"warrington": 1}},
                                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["reserved_places"] == {"warrington": 1}
    response = api_as(business_unit).patch(f"{URL}{session.pk}/", {"capacity": 2}, format="json")
    assert response.status_code == 200
    response = api_as(business_unit).patch(f"{URL}{session.pk}/", {"reserved_places": {"warrington": 3}},
                                           format="json")
    assert response.status_code == 400
    assert "3 places are reserved for partnerships but the session has only 2" in response.json()["detail"]
    response = api_as(business_unit).patch(f"{URL}{session.pk}/", {"open_to": "partnership"}, format="json")
    assert response.status_code == 400  # Warrington still keeps a place: open it to the network, or keep none
    response = api_as(business_unit).patch(f"{URL}{session.pk}/", {"open_to": "partnership", "reserved_places": {}},
                                           format="json")
    assert response.status_code == 200
    assert not SessionReservation.objects.filter(session=session).exists()


def test_sessions_filter_by_the_delivering_partnership(api, make_session, make_course, warrington):
    halton_session = make_session()
    course = make_course("Warrington's course")
    course.partnership = warrington
    course.save()
    theirs = make_session(course_=course, open_to="network")
    assert [s["id"] for s in api.get(URL, PARAMS | {"partnership": "warrington"}).json()["results"]] == [theirs.pk]
    assert [s["id"] for s in api.get(URL, PARAMS | {"partnership": "halton"}).json()["results"]] == [halton_session.pk]
    assert len(api.get(URL, PARAMS).json()["results"]) == 2
    response = api.get(URL, PARAMS | {"partnership": "wigan"})
    assert response.status_code == 400
    assert response.json()["detail"] == "There is no partnership 'wigan': choose from halton, warrington."
    for odd in ("wigan\u0000", "\u202e" * 3000):
        assert api.get(URL, PARAMS | {"partnership": odd}).status_code == 400


def test_the_session_list_still_takes_a_constant_number_of_queries(api, make_session, warrington):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL, PARAMS).status_code == 200
        return len(ctx.captured_queries)

    make_session(open_to="network", reserved_places={"warrington": 2})
    few = count()
    for day in range(1, 6):
        make_session(starts_at=london(2030, 4, day, 9, 30), open_to="network",
                     reserved_places={"warrington": 1, "halton": 1})
    assert count() == few


def test_the_partnership_filter_reads_slugs_by_the_one_rule(api, warrington):
    """?partnership= goes through people.selectors.partnership_named: text no slug could be (too long, a space,
    a control character) is refused without asking the database for it."""
    from people.selectors import SLUG

    for odd in ("w" * 41, "war rington", "warrington\n"):
        assert not SLUG.fullmatch(odd)
        response = api.get(URL, PARAMS | {"partnership": odd})
        assert response.status_code == 400
        assert response.json()["detail"].startswith("There is no partnership ")
    assert api.get(URL, PARAMS | {"partnership": "warrington"}).status_code == 200
