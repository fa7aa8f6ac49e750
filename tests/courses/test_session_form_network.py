"""The scheduling page on a hub of several partnerships: who may book and the places kept per partnership.
On a hub of one the page asks nothing new (tests/courses/test_pages.py)."""

import pytest

from courses.models import Session
from lib.dates import london
from people.models import Partnership
from people.partnerships import default_partnership
from tests.courses.test_pages import form_data


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")


def test_a_hub_of_one_asks_nothing_about_partnerships(client, business_unit):
    client.force_login(business_unit)
    page = client.get("/sessions/new/").content.decode()
    assert "Who may book" not in page and "reserved" not in page.lower()


def test_the_business_unit_opens_a_session_to_the_network_keeping_places(client, business_unit, course, warrington):
    client.force_login(business_unit)
    page = client.get("/sessions/new/").content.decode()
    assert "Who may book" in page and "Places reserved for Warrington Safeguarding Partnership" in page
    response = client.post("/sessions/new/", form_data(
        course, capacity=12, open_to="network", **{f"reserve_{warrington.pk}": "4"},
        reserved_until_date="2030-02-20", reserved_until_time="12:00"))
    assert response.status_code == 302, response.context["form"].errors
    session = Session.objects.get()
    assert session.open_to == "network"
    assert session.reserved_until == london(2030, 2, 20, 12, 0)
    assert list(session.reservations.values_list("partnership__slug", "places")) == [("warrington", 4)]
    form = client.get(f"/sessions/{session.pk}/change/").context["form"]
    assert form.initial["open_to"] == "network" and form.initial[f"reserve_{warrington.pk}"] == 4


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"open_to": "network", "reserve_W": "30"}, "reserve_W",
     "30 places are reserved for partnerships but the session has only 12"),
    ({"open_to": "partnership", "reserve_W": "2"}, "reserve_W",
     "Places can be reserved for another partnership only on a session open to the network"),
    ({"open_to": "network", "reserve_W": "2", "reserved_until_date": "2030-03-15", "reserved_until_time": "09:00"},
     "reserved_until_date", "Reserved places must be released by the time the session starts"),
    ({"open_to": "network", "reserved_until_date": "2030-03-01"}, "reserved_until_date",
     "Give both the date and the time"),
    ({"open_to": "network", "reserve_W": "-1"}, "reserve_W", "Reserved places must be 0 or more"),
    ({"open_to": "everyone"}, "open_to", "Select a valid choice"),
])
def test_the_page_says_what_cannot_be_kept_on_the_field_concerned(client, business_unit, course, warrington,
                                                                   changes, field, words):
    client.force_login(business_unit)
    changes = {key.replace("_W", f"_{warrington.pk}"): value for key, value in changes.items()}
    response = client.post("/sessions/new/", form_data(course, capacity=12, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(words in message for message in errors[field.replace("_W", f"_{warrington.pk}")]), errors
    assert not Session.objects.exists()


def test_the_admin_lists_who_delivers_who_may_book_and_the_places_kept(client, business_unit, make_session,
                                                                       warrington):
    make_session(capacity=12, open_to="network", reserved_places={"warrington": 4})
    client.force_login(business_unit)
    page = client.get("/manage/courses/session/").content.decode()
    assert "Places reserved" in page
    assert "4 for Warrington Safeguarding Partnership, until 11 Mar 2030 17:00" in page


def test_the_admin_of_a_hub_of_one_lists_sessions_as_before(client, business_unit, session):
    client.force_login(business_unit)
    page = client.get("/manage/courses/session/").content.decode()
    assert "Places reserved" not in page and "Delivered by" not in page


def test_each_partnership_has_its_own_booking_settings_in_the_admin(client, business_unit, warrington):
    from bookings.models import BookingSettings
    from bookings.services.rules import booking_settings

    booking_settings()  # the first partnership's
    client.force_login(business_unit)
    assert client.get("/manage/bookings/bookingsettings/add/").status_code == 200  # Warrington has none yet
    booking_settings(warrington.pk)
    assert BookingSettings.objects.count() == 2
    assert client.get("/manage/bookings/bookingsettings/add/").status_code == 403
