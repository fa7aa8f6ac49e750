"""Reports grouped by course on a hub of several partnerships: Halton and Warrington each run "Neglect: basic", and
a reader of both sees two rows, each named with its delivering partnership (pages, CSV, XLSX and the API), never one
row that adds them together. A hub of one keeps the title as both the key and the label."""

import csv
import io

import pytest
from openpyxl import load_workbook

from bookings.models import Booking
from certificates.models import Evaluation
from courses import services as course_services
from lib.dates import london
from people import roles
from people.models import Person
from reports import selectors
from reports.selectors import Filters
from tests.partnerships.four import act_for, agency_of, four_partnerships

TITLE = "Neglect: basic"
HALTON = "Halton Children and Young People Safeguarding Partnership"
WARRINGTON = "Warrington Safeguarding Partnership"


def neglect(partnership=None):
    return course_services.create_course(title=TITLE, level="basic", theme="Neglect", duration_minutes=180,
                                         summary="A course.", partnership=partnership)


def _book(make_session, make_person, course, prefix: str, agency, outcomes, *, home=None, capacity=10):
    session = make_session(course_=course, starts_at=london(2024, 6, 12, 9, 30), now=london(2024, 1, 2, 9, 0),
                           capacity=capacity)
    for n, outcome in enumerate(outcomes):
        person = make_person(f"{prefix}-{n}@example.org", agency, roles.PRACTITIONER)
        if home is not None:
            Person.objects.filter(pk=person.pk).update(home_partnership=home)
        booking = Booking.objects.create(session=session, person=person, status=outcome)
        if outcome == "attended":
            Evaluation.objects.create(booking=booking, confidence_before=2, confidence_after=4,
                                      learning="Learnt.", impact_statement="Changed how I work.")
    return session


@pytest.fixture
def network(db):
    return four_partnerships()


@pytest.fixture
def two_of_a_title(network, make_session, make_person):
    """Halton's "Neglect: basic" (3 attended, 1 no-show) and Warrington's (1 attended, 2 no-shows, 1 waiting)."""
    police = agency_of("cheshire-police", "Cheshire Constabulary", *network.values())
    halton_s, warrington_s = neglect(), neglect(network["warrington"])
    _book(make_session, make_person, halton_s, "h", police, ("attended", "attended", "attended", "no_show"),
          home=network["halton"])
    _book(make_session, make_person, warrington_s, "w", police, ("attended", "no_show", "no_show", "waitlisted"),
          home=network["warrington"], capacity=3)
    return halton_s, warrington_s


@pytest.fixture
def lead(network, make_person, halton):
    return act_for(make_person("nina@halton.gov.uk", halton), network["halton"], roles.NETWORK_LEAD)


def test_the_api_keys_each_course_by_its_partnership_and_title(api_as, two_of_a_title, lead):
    rows = api_as(lead).get("/api/v1/reports/attendance/", {"by": "course"}).json()
    assert [(r["key"], r["booked"], r["attended"], r["no_show"]) for r in rows] == [
        ("halton/Neglect: basic", 4, 3, 1), ("warrington/Neglect: basic", 3, 1, 2)]


def test_the_selectors_label_each_row_with_the_delivering_partnership(two_of_a_title):
    rows = selectors.attendance(Filters(), by="course")
    assert [(r["key"], r["label"]) for r in rows] == [
        ("halton/Neglect: basic", f"{TITLE} ({HALTON})"), ("warrington/Neglect: basic", f"{TITLE} ({WARRINGTON})")]
    fill = selectors.fill_and_demand(Filters())
    assert [(r["key"], r["label"], r["places"], r["taken"], r["unmet_demand"]) for r in fill] == [
        ("halton/Neglect: basic", f"{TITLE} ({HALTON})", 10, 4, 0),
        ("warrington/Neglect: basic", f"{TITLE} ({WARRINGTON})", 3, 3, 1)]


def test_a_reader_of_one_partnership_sees_its_course_named_the_same_way(api_as, two_of_a_title, network,
                                                                         make_person, police):
    warrington_bu = act_for(make_person("wes@warrington.gov.uk", police), network["warrington"],
                            roles.BUSINESS_UNIT)
    rows = api_as(warrington_bu).get("/api/v1/reports/attendance/", {"by": "course"}).json()
    assert [r["key"] for r in rows] == ["warrington/Neglect: basic"]


def test_the_page_and_its_downloads_show_two_rows(client, two_of_a_title, lead):
    client.force_login(lead)
    page = client.get("/reports/", {"by": "course"}).content.decode()
    for name in (HALTON, WARRINGTON):
        assert f"{TITLE} ({name})" in page
    attendance = list(csv.reader(io.StringIO(client.get("/reports/", {
        "by": "course", "export": "csv", "table": "attendance-by-course"}).content.decode())))
    assert [row[:4] for row in attendance[1:]] == [[f"{TITLE} ({HALTON})", "4", "3", "0"],
                                                   [f"{TITLE} ({WARRINGTON})", "3", "1", "0"]]
    fill = list(csv.reader(io.StringIO(client.get("/reports/", {
        "export": "csv", "table": "fill-rate-by-course"}).content.decode())))
    assert [row[:5] for row in fill[1:]] == [[f"{TITLE} ({HALTON})", "1", "10", "4", "0.4"],
                                             [f"{TITLE} ({WARRINGTON})", "1", "3", "3", "1.0"]]
    sheet = load_workbook(io.BytesIO(client.get("/reports/", {
        "by": "course", "export": "xlsx", "table": "attendance-by-course"}).content)).active
    assert [sheet.cell(row=n, column=1).value for n in (2, 3)] == [f"{TITLE} ({HALTON})", f"{TITLE} ({WARRINGTON})"]


def test_the_evaluation_report_names_each_course_s_partnership(client, two_of_a_title, lead):
    client.force_login(lead)
    page = client.get("/reports/evaluations/").content.decode()
    table, statements = page.split("By course")[1].split("</table>", 1)
    assert f"{TITLE} ({HALTON})" in table and f"{TITLE} ({WARRINGTON})" in table
    assert f"{TITLE} ({HALTON})" in statements and f"{TITLE} ({WARRINGTON})" in statements


def test_a_hub_of_one_keys_and_labels_a_course_by_its_title(api_as, business_unit, make_session, make_person,
                                                            halton):
    course = neglect()
    _book(make_session, make_person, course, "h", halton, ("attended", "no_show"))
    rows = api_as(business_unit).get("/api/v1/reports/attendance/", {"by": "course"}).json()
    assert [(r["key"], r["booked"]) for r in rows] == [(TITLE, 2)]
    assert [(r["key"], r["label"]) for r in selectors.attendance(Filters(), by="course")] == [(TITLE, TITLE)]
    assert [(r["key"], r["label"]) for r in selectors.fill_and_demand(Filters())] == [(TITLE, TITLE)]


@pytest.mark.parametrize("slug", ["atlantis", "x" * 5000, "halton\n", "Halton", "hal ton"])
@pytest.mark.parametrize("name", ["partnership", "home_partnership"])
def test_the_reports_read_a_partnership_the_one_way_the_hub_does(api_as, client, network, lead, slug, name):
    """reports.api reads `partnership` and `home_partnership` through people.selectors.partnership_named, the hub's
    one way: text that cannot be a slug (a newline, a space, past 40 characters) or names none is an unknown
    partnership, a 400 naming the field. (A NUL never gets this far: the hub refuses it in any request.)"""
    for address in ("/api/v1/reports/attendance/", "/api/v1/reports/exchange/"):
        answer = api_as(lead).get(address, {name: slug})
        assert answer.status_code == 400, (address, answer.content)
        assert list(answer.json()["errors"]) == [name]
        assert answer.json()["detail"].startswith("Unknown ")
    assert api_as(lead).get("/api/v1/reports/attendance/", {name: "war\x00rington"}).status_code == 400
    client.force_login(lead)
    assert "choose one from the list of partnerships" in client.get("/reports/", {name: slug}).content.decode()
