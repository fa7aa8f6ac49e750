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


def test_the_excel_download_leaves_out_what_xlsx_cannot_hold_and_the_csv_keeps_it(client, agency_manager,
                                                                                   practitioner, make_session):
    from openpyxl import load_workbook

    practitioner.name = "Bob\x01\x1bSmith"
    practitioner.job_title = "=HYPERLINK(\"x\")\x0b"
    practitioner.save()
    now = timezone.now()
    book_place(make_session(starts_at=now + timedelta(days=20), now=now - timedelta(days=1)), practitioner)
    client.force_login(agency_manager)
    response = client.get("/agency/bookings/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "BobSmith" in values
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str))
    text = client.get("/agency/bookings/?export=csv").content.decode("utf-8-sig")
    assert "Bob\x01\x1bSmith" in text


def test_every_xlsx_cell_goes_through_one_writer_that_keeps_within_excels_cell(db):
    from openpyxl import Workbook

    from lib.exports import EXCEL_CELL_MAX, xlsx_cell

    sheet = Workbook().active
    assert xlsx_cell(sheet, 1, 1, "a\x00b\ud800c\x1fd").value == "abcd"
    assert len(xlsx_cell(sheet, 1, 2, "x" * 40_000).value) == EXCEL_CELL_MAX
    assert xlsx_cell(sheet, 1, 3, "=1+1").data_type == "s"
    assert xlsx_cell(sheet, 1, 4, 7).value == 7
