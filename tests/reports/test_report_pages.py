import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from demo import samples


@pytest.fixture
def history(tmp_path, db):
    path = tmp_path / "history.csv"
    path.write_text(samples.history_csv())
    call_command("import_history", str(path))


def test_the_annual_report_states_the_published_figures_in_its_own_sentences(client, history, business_unit):
    client.force_login(business_unit)
    page = client.get("/reports/annual/", {"year": 2024}).content.decode()
    assert ("In the period April-September 2024, 936 multiagency partners booked onto training events but only "
            "543 attended the event (393 no shows). This equated to an attendance record of 58%.") in page
    assert "the attendance percentage was 87% with 708 professionals attending" in page
    assert "(107 no shows)" in page


def test_dashboard_tables_for_the_business_unit(client, history, business_unit):
    client.force_login(business_unit)
    page = client.get("/reports/", {"by": "half_year"}).content.decode()
    for title in ("Attendance by half year", "No-shows by agency", "Fill rate and unmet demand by course",
                  "Trainer pool contributions against places used", "Charges by agency"):
        assert title in page
    assert "2024-04 to 2024-09" in page and "58%" in page


def test_every_table_exports_as_csv_and_xlsx(client, history, business_unit):
    client.force_login(business_unit)
    csv_text = client.get("/reports/", {"by": "half_year", "export": "csv",
                                        "table": "attendance-by-half_year"}).content.decode()
    assert csv_text.splitlines()[0].startswith("Group,Booked,Attended")
    assert "2024-04 to 2024-09,936,543,0,393" in csv_text
    response = client.get("/reports/", {"export": "xlsx", "table": "no-shows-by-agency"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Group" and sheet.max_row > 2
    assert client.get("/reports/", {"export": "csv", "table": "nonsense"}).status_code == 404


def test_finance_sees_the_charging_part_only(client, history, finance):
    client.force_login(finance)
    page = client.get("/reports/").content.decode()
    assert "Charges by agency" in page and "Attendance by" not in page


def test_agency_managers_see_their_own_agency(client, history, agency_manager):
    client.force_login(agency_manager)
    page = client.get("/reports/", {"by": "agency"}).content.decode()
    assert "You see your own agency" in page
    assert "Cheshire Constabulary" not in page.split("Attendance by agency")[1].split("No-shows by agency")[0]


def test_practitioners_see_no_analysis(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/annual/").status_code == 403


def test_a_bad_date_is_explained_not_a_500(client, business_unit):
    client.force_login(business_unit)
    response = client.get("/reports/", {"from": "last April"})
    assert response.status_code == 200 and "from must be a date" in response.content.decode()


def test_unmet_demand_counts_people_still_waiting(db, make_session, practitioner, colleague, outsider):
    from bookings.services import book_place, cancel_booking
    from lib.dates import london
    from reports.selectors import Filters, fill_and_demand

    session = make_session(capacity=1)
    first = book_place(session, practitioner, now=london(2030, 2, 1))
    book_place(session, colleague, now=london(2030, 2, 1))
    book_place(session, outsider, now=london(2030, 2, 1))
    cancel_booking(first, by=practitioner, now=london(2030, 2, 2))  # the colleague is promoted
    [row] = fill_and_demand(Filters())
    assert (row["taken"], row["unmet_demand"], row["places"]) == (1, 1, 1)  # a place freed on time is not taken
