"""An agency manager sees their own staff's places on sessions to come, and nobody else's."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from bookings.models import Booking
from bookings.services import book_place


def test_an_agency_manager_sees_their_staffs_places_to_come(client, agency_manager, practitioner, colleague,
                                                            outsider, make_session):
    now = timezone.now()
    soon = make_session(starts_at=now + timedelta(days=20), capacity=1, now=now - timedelta(days=1))
    later = make_session(starts_at=now + timedelta(days=40), now=now - timedelta(days=1))
    past = make_session(starts_at=now - timedelta(days=5), now=now - timedelta(days=60))
    book_place(soon, practitioner)
    book_place(soon, colleague)  # full: the waiting list
    book_place(later, outsider)  # another agency
    Booking.objects.create(session=past, person=practitioner, status="attended")
    cancelled = book_place(later, colleague)
    cancelled.status = "cancelled"
    cancelled.save()
    client.force_login(agency_manager)
    page = client.get("/agency/bookings/").content.decode()
    main = page.split("<main", 1)[1]
    assert "2 places" in main
    assert main.index(practitioner.name) < main.index(colleague.name)  # soonest first, then by name
    assert "On the waiting list" in main and "Booked" in main
    assert outsider.name not in main
    rows = list(csv.DictReader(io.StringIO(client.get("/agency/bookings/?export=csv").content.decode("utf-8-sig"))))
    assert [(r["Person"], r["Place"]) for r in rows] == [(practitioner.name, "Booked"),
                                                         (colleague.name, "On the waiting list")]
    assert client.get("/agency/bookings/?export=xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")


def test_only_agency_managers_see_the_agency_bookings_page(client, practitioner, trainer, finance):
    for person in (practitioner, trainer, finance):
        client.force_login(person)
        assert client.get("/agency/bookings/").status_code == 403
