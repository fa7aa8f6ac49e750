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
