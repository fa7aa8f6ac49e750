"""The delivering partnership on "My bookings" and the agency manager's bookings (and their CSV and Excel)
on a network hub; nothing of it on a hub of one."""

import csv
import io

import pytest
from openpyxl import load_workbook

from bookings.models import Booking
from lib.dates import london
from people.models import Partnership
from people.partnerships import default_partnership


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership",
                                      contact_email="training@warrington.gov.uk")


def main_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1]


@pytest.fixture
def warringtons_session(make_session, make_course, warrington):
    course = make_course("Warrington's Neglect Toolkit")
    course.partnership = warrington
    course.save()
    return make_session(course_=course, open_to="network", starts_at=london(2030, 3, 20, 9, 30))


def test_my_bookings_names_the_delivering_partnership_on_a_network(client, practitioner, session,
                                                                   warringtons_session):
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    Booking.objects.create(session=warringtons_session, person=practitioner, status="confirmed")
    client.force_login(practitioner)
    page = main_of(client, "/bookings/")
    assert "Delivered by Warrington Safeguarding Partnership" in page
    assert f"Delivered by {default_partnership().name}" in page


def test_the_agency_bookings_and_their_downloads_name_the_delivering_partnership(client, agency_manager,
                                                                                 practitioner, session,
                                                                                 warringtons_session):
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    Booking.objects.create(session=warringtons_session, person=practitioner, status="confirmed")
    client.force_login(agency_manager)
    assert "Delivered by Warrington Safeguarding Partnership" in main_of(client, "/agency/bookings/")
    rows = list(csv.DictReader(io.StringIO(client.get("/agency/bookings/?export=csv").content.decode("utf-8-sig"))))
    assert [r["Delivered by"] for r in rows] == [default_partnership().name, "Warrington Safeguarding Partnership"]
    sheet = load_workbook(io.BytesIO(client.get("/agency/bookings/?export=xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("Delivered by")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        default_partnership().name, "Warrington Safeguarding Partnership"]


def test_a_hub_of_one_names_no_delivering_partnership(client, agency_manager, practitioner, session):
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    client.force_login(practitioner)
    assert "Delivered by" not in main_of(client, "/bookings/")
    client.force_login(agency_manager)
    assert "Delivered by" not in main_of(client, "/agency/bookings/")
    rows = list(csv.DictReader(io.StringIO(client.get("/agency/bookings/?export=csv").content.decode("utf-8-sig"))))
    assert "Delivered by" not in rows[0]
    header = [cell.value for cell in load_workbook(
        io.BytesIO(client.get("/agency/bookings/?export=xlsx").content)).active[1]]
    assert "Delivered by" not in header
