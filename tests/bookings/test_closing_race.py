"""Opening a session only to its partnership while people of two partnerships book it: the change takes the
booking's lock, so whatever the order, nothing is oversold, nobody of another partnership is left waiting for
a place they can never have, and nobody booked loses their place."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from bookings.models import Booking
from bookings.services import book_place
from courses.services import change_session
from lib.errors import NotAllowed
from people import roles
from people.services import add_person

pytestmark = pytest.mark.postgres


def test_closing_to_the_network_while_two_partnerships_book(transactional_db, soon_session, halton):
    from people.models import Agency, Partnership
    from people.partnerships import default_partnership

    default_partnership()
    warrington = Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    agency = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council", kind="statutory_partner")
    agency.partnerships.add(warrington)
    session = soon_session(capacity=8, open_to="network", reserved_places={"warrington": 4})
    halton_people = [add_person(f"h{n}@halton.gov.uk", agency=halton, role_names=[roles.PRACTITIONER],
                                password=None) for n in range(10)]
    warrington_people = [add_person(f"w{n}@warrington.gov.uk", agency=agency, role_names=[roles.PRACTITIONER],
                                    password=None) for n in range(10)]
    for person in warrington_people:
        person.home_partnership = warrington
        person.save(update_fields=["home_partnership"])
    everyone = halton_people + warrington_people
    start = threading.Barrier(len(everyone) + 1)

    def book(person):
        try:
            start.wait()
            return book_place(session, person).status
        except NotAllowed:
            return "refused"
        finally:
            connection.close()

    def close():
        try:
            start.wait()
            return change_session(session, open_to="partnership", reserved_places={}).closing
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(everyone) + 1) as pool:
        closing = pool.submit(close)
        answers = dict(zip((p.pk for p in everyone), pool.map(book, everyone), strict=True))
        closing = closing.result()
    bookings = {b.person_id: b for b in Booking.objects.filter(session=session)}
    holding = [b for b in bookings.values() if b.status in Booking.HOLDING]
    assert len(holding) <= 8  # never oversold
    warrington_ids = {p.pk for p in warrington_people}
    for person_id, answer in answers.items():
        if answer == "refused":  # booked after the change: refused, nothing made
            assert person_id in warrington_ids and person_id not in bookings
        elif answer == "confirmed":  # a place given is kept
            assert bookings[person_id].status == "confirmed"
    assert not [b for b in bookings.values() if b.person_id in warrington_ids and b.status == "waitlisted"]
    kept = sum(1 for b in holding if b.person_id in warrington_ids)
    taken_off = sum(1 for b in bookings.values() if b.person_id in warrington_ids and b.status == "cancelled")
    assert (closing.keeping, closing.taken_off) == (kept, taken_off)
    waiting_halton = sum(1 for b in bookings.values() if b.status == "waitlisted")
    assert len(holding) == 8 or waiting_halton == 0  # a place freed goes to Halton's people waiting
    assert not session.reservations.exists()
