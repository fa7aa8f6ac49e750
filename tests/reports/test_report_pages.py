import io
from datetime import timedelta

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


def test_the_annual_report_opens_on_the_latest_year_with_figures(client, history, business_unit):
    client.force_login(business_unit)
    page = client.get("/reports/annual/").content.decode()
    assert "April 2024 to March 2025" in page
    assert "936 multiagency partners booked onto training events but only 543 attended" in page


def test_a_year_without_figures_says_so_in_one_sentence(client, history, business_unit):
    client.force_login(business_unit)
    page = client.get("/reports/annual/", {"year": 2029}).content.decode()
    assert ("No registers were closed for sessions between April 2029 and March 2030, so there are no figures for "
            "this year: the latest year with figures is") in page
    assert 'href="?year=2024"' in page
    for broken in ("0 multiagency partners", "only 0 attended", "0%"):
        assert broken not in page


def test_the_annual_report_with_no_figures_at_all_opens_on_this_year(client, business_unit):
    client.force_login(business_unit)
    page = client.get("/reports/annual/").content.decode()
    assert page.count("No registers were closed") == 1 and "latest year with figures" not in page


def test_group_by_lists_words_not_raw_names(client, history, business_unit):
    client.force_login(business_unit)
    page = client.get("/reports/").content.decode()
    assert ">Half-year (from April, from October)</option>" in page
    assert "Half_year" not in page and ">Month</option>" in page


def test_months_without_places_are_shown_and_read_no_places(client, business_unit, make_session, practitioner):
    from bookings.models import Booking
    from lib.dates import london

    for when in (london(2025, 2, 12, 9, 30), london(2026, 10, 5, 9, 30)):
        session = make_session(starts_at=when, now=when - timedelta(days=30))
        Booking.objects.create(session=session, person=practitioner, status="attended")
    client.force_login(business_unit)
    page = client.get("/reports/", {"by": "month"}).content.decode()
    table = page.split("Attendance by month", 1)[1].split("No-shows by agency")[0]
    months = table.split("<tbody")[1]
    for month in ("February 2025", "March 2025", "June 2025", "September 2026", "October 2026"):
        assert month in months, month
    assert months.index("February 2025") < months.index("March 2025") < months.index("October 2026")
    chart, rows = table.split("<table")
    assert "no places" in chart and "no places" in rows  # in the chart and in the table
    assert ">0%<" not in chart and ">–<" not in rows


def test_xlsx_rates_are_percentage_cells_holding_the_fraction(client, history, business_unit):
    client.force_login(business_unit)
    response = client.get("/reports/", {"by": "half_year", "export": "xlsx", "table": "attendance-by-half_year"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    rate = sheet.cell(row=2, column=headings.index("Attendance rate") + 1)
    assert rate.value == 0.5801 and rate.number_format == "0.0%"


@pytest.fixture
def two_agencies_charged(past_session, practitioner, colleague, outsider, trainer):
    """Halton's two practitioners and Cheshire's one did not come to a session a Cheshire trainer delivered:
    three no-show charges, two agencies."""
    from attendance.services import close_register
    from lib.dates import london
    from tests.conftest import confirmed

    confirmed(past_session, practitioner, colleague, outsider)
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))
    return past_session


def _table(page: str, title: str) -> str:
    return page.split(f'<h2 class="govuk-heading-l">{title}</h2>')[1].split('<h2 class="govuk-heading-l">')[0]


def test_finance_sees_every_agencys_charges_and_may_narrow_them_to_one(client, two_agencies_charged, finance):
    client.force_login(finance)
    page = client.get("/reports/").content.decode()
    charges = _table(page, "Charges by agency")
    assert "Halton Borough Council" in charges and "Cheshire Constabulary" in charges
    assert "You see your own agency" not in page and '<select class="govuk-select" id="agency"' in page
    narrowed = _table(client.get("/reports/", {"agency": "cheshire-police"}).content.decode(), "Charges by agency")
    assert "Cheshire Constabulary" in narrowed and "Halton Borough Council" not in narrowed


def test_the_business_unit_narrows_every_table_to_one_agency(client, two_agencies_charged, business_unit):
    client.force_login(business_unit)
    whole = client.get("/reports/", {"by": "agency"}).content.decode()
    assert "Cheshire Constabulary" in _table(whole, "Trainer pool contributions against places used")
    page = client.get("/reports/", {"by": "agency", "agency": "halton-bc"}).content.decode()
    for title in ("Attendance by agency", "No-shows by agency", "Trainer pool contributions against places used",
                  "Charges by agency"):
        assert "Cheshire Constabulary" not in _table(page, title), title
    unknown = client.get("/reports/", {"agency": "nowhere"})
    assert unknown.status_code == 200 and "Unknown agency" in unknown.content.decode()


def test_agency_managers_see_only_their_agency_in_every_table(client, two_agencies_charged, agency_manager):
    client.force_login(agency_manager)
    page = client.get("/reports/", {"by": "agency", "agency": "cheshire-police"}).content.decode()
    assert '<select class="govuk-select" id="agency"' not in page  # the filter is not theirs to use
    contributions = _table(page, "Trainer pool contributions against places used")
    assert "Cheshire Constabulary" not in contributions and "Halton Borough Council" in contributions
    for title in ("Attendance by agency", "No-shows by agency", "Charges by agency"):
        assert "Cheshire Constabulary" not in _table(page, title), title
    fill = _table(page, "Fill rate and unmet demand by course")
    assert "this agency&#x27;s staff" in fill
    csv_text = client.get("/reports/", {"export": "csv", "table": "fill-rate-by-course"}).content.decode()
    row = csv_text.splitlines()[1].split(",")
    assert row[2:4] == ["20", "2"]  # 20 places on the session; Halton's two no-shows, not Cheshire's third


def test_the_attendance_api_narrows_to_an_agency_for_the_business_unit_only(api_as, two_agencies_charged,
                                                                             business_unit, agency_manager):
    rows = api_as(business_unit).get("/api/v1/reports/attendance/", {"agency": "cheshire-police"}).json()
    assert [r["key"] for r in rows] == ["cheshire-police"]
    mine = api_as(agency_manager).get("/api/v1/reports/attendance/", {"agency": "cheshire-police"}).json()
    assert [r["key"] for r in mine] == ["halton-bc"]


@pytest.fixture
def charges(past_session, practitioner, colleague, trainer):
    from attendance.services import close_register
    from lib.dates import london
    from tests.conftest import confirmed

    confirmed(past_session, practitioner, colleague)
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))


def test_money_in_reports_reads_pounds_and_pence(client, charges, finance):
    client.force_login(finance)
    page = client.get("/reports/").content.decode()
    table = page.split("Charges by agency", 1)[1]
    assert "£100.00" in table and "100.0<" not in table and ">10000<" not in table
    csv_text = client.get("/reports/", {"export": "csv", "table": "charges-by-agency"}).content.decode()
    assert csv_text.splitlines()[0] == "Agency,Raised,Amount raised,Waived,Paid,Amount paid"
    assert "Halton Borough Council,2,£100.00,0,0,£0.00" in csv_text
    response = client.get("/reports/", {"export": "xlsx", "table": "charges-by-agency"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["C2"].value == 100 and sheet["C2"].number_format == '"£"#,##0.00'
