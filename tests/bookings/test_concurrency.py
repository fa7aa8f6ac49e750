"""The capacity is never exceeded, however many people press "book" at the same moment."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from bookings.models import Booking
from bookings.services import book_place
from people import roles
from people.services import add_person

pytestmark = pytest.mark.postgres


def test_forty_people_booking_thirty_places_at_once(transactional_db, soon_session, halton):
    session = soon_session(capacity=30)
    people = [add_person(f"p{n}@halton.gov.uk", agency=halton, role_names=[roles.PRACTITIONER], password=None)
              for n in range(40)]
    start = threading.Barrier(len(people))

    def book(person):
        try:
            start.wait()
            return book_place(session, person).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        statuses = list(pool.map(book, people))
    assert statuses.count("confirmed") == 30
    assert statuses.count("waitlisted") == 10
    assert Booking.objects.filter(session=session, status="confirmed").count() == 30


def test_one_person_double_clicking_gets_one_booking(transactional_db, soon_session, practitioner):
    session = soon_session(capacity=5)
    start = threading.Barrier(8)

    def book(_):
        try:
            start.wait()
            return book_place(session, practitioner).status
        except Exception as exc:  # the Conflict for every request after the first
            return type(exc).__name__
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(book, range(8)))
    assert results.count("confirmed") == 1
    assert results.count("Conflict") == 7
    assert Booking.objects.filter(session=session).count() == 1


@pytest.mark.parametrize(("from_halton", "from_warrington"), [(26, 4), (20, 10), (6, 24)])
def test_people_of_two_partnerships_racing_for_kept_places(transactional_db, soon_session, halton,
                                                           from_halton, from_warrington):
    """Ten places, four kept for Warrington: however the 30 bookings interleave, Warrington's people get the
    four kept places (and may win general ones), Halton's never more than the six general, and no more than
    ten in all are given."""
    from people.models import Agency, Partnership
    from people.partnerships import default_partnership

    default_partnership()
    warrington = Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    agency = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council", kind="statutory_partner")
    agency.partnerships.add(warrington)
    session = soon_session(capacity=10, open_to="network", reserved_places={"warrington": 4})
    halton_people = [add_person(f"h{n}@halton.gov.uk", agency=halton, role_names=[roles.PRACTITIONER],
                                password=None) for n in range(from_halton)]
    warrington_people = [add_person(f"w{n}@warrington.gov.uk", agency=agency, role_names=[roles.PRACTITIONER],
                                    password=None) for n in range(from_warrington)]
    for person in warrington_people:
        person.home_partnership = warrington
        person.save(update_fields=["home_partnership"])
    everyone = halton_people + warrington_people
    start = threading.Barrier(len(everyone))

    def book(person):
        try:
            start.wait()
            return book_place(session, person).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(everyone)) as pool:
        statuses = dict(zip((p.pk for p in everyone), pool.map(book, everyone), strict=True))
    halton_places = sum(statuses[p.pk] == "confirmed" for p in halton_people)
    warrington_places = sum(statuses[p.pk] == "confirmed" for p in warrington_people)
    assert halton_places + warrington_places == 10
    assert warrington_places >= min(4, from_warrington)
    assert halton_places <= 6
    assert halton_places == min(6, from_halton) or warrington_places > 4  # a general place is never left empty
    assert Booking.objects.filter(session=session, status="confirmed").count() == 10
    assert list(statuses.values()).count("waitlisted") == len(everyone) - 10
