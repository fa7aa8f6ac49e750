"""Reports on a hub of four partnerships: Halton's published figures still come out exactly for Halton, the
partnership filters, the exchange report (page, chart, CSV, XLSX and API), and the network lead reading every
partnership's reports while changing nothing."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from bookings.models import Booking
from demo import samples
from lib.dates import london
from people import roles
from people.models import Person
from people.permissions import may
from reports import selectors
from reports.selectors import Filters
from tests.partnerships.four import act_for, agency_of, four_partnerships


@pytest.fixture
def network(db):
    return four_partnerships()


@pytest.fixture
def hub_of_four(tmp_path, network, make_course, make_session, make_person):
    """Halton's history (imported into Halton, the first partnership), then the three other partnerships'
    bookings in the same two half-years: their own people at their own sessions, a Warrington officer at a
    Cheshire East masterclass, and Halton's people at Warrington's sessions."""
    path = tmp_path / "history.csv"
    path.write_text(samples.history_csv())
    call_command("import_history", str(path))
    police = agency_of("cheshire-police", "Cheshire Constabulary", *network.values())
    halton_staff = Person.objects.filter(home_partnership__isnull=True).order_by("pk")[:6]
    made = {}
    for slug in ("cheshire-west", "cheshire-east", "warrington"):
        course = make_course(f"{slug} local procedures")
        course.partnership = network[slug]
        course.save()
        people = []
        for n in range(5):
            person = make_person(f"{slug}-{n}@cheshire.police.uk", police, roles.PRACTITIONER)
            Person.objects.filter(pk=person.pk).update(home_partnership=network[slug])
            people.append(person)
        halves = ((london(2024, 6, 12, 9, 30), ("attended", "attended", "no_show", "partial", "attended")),
                  (london(2024, 11, 20, 9, 30), ("attended", "no_show", "no_show", "attended", "cancelled")))
        for when, outcomes in halves:
            session = make_session(course_=course, starts_at=when, now=london(2024, 1, 2, 9, 0))
            for person, outcome in zip(people, outcomes, strict=True):
                Booking.objects.create(session=session, person=person, status=outcome)
            if slug == "warrington":  # Halton's people went to Warrington's training too
                for person, outcome in zip(halton_staff, ("attended", "no_show", "attended"), strict=False):
                    Booking.objects.create(session=session, person=person, status=outcome)
        made[slug] = people
    return made


def test_halton_figures_come_out_exactly_on_a_hub_of_four(hub_of_four, network):
    halton = Filters(partnership=network["halton"].pk, default_partnership=network["halton"].pk)
    first = selectors.totals(Filters(start=date(2024, 4, 1), end=date(2024, 9, 30), partnership=halton.partnership))
    assert (first["booked"], first["attended"], first["no_show"]) == (936, 543, 393)
    second = selectors.totals(Filters(start=date(2024, 10, 1), end=date(2025, 3, 31), partnership=halton.partnership))
    assert (second["attended"], second["no_show"]) == (708, 107)
    assert round(second["attendance_rate"], 2) == 0.87
    # the whole hub holds more than Halton delivered
    assert selectors.totals(Filters(start=date(2024, 4, 1), end=date(2024, 9, 30)))["booked"] > 936


def test_halton_business_unit_reads_the_published_figures_on_a_hub_of_four(client, api_as, hub_of_four, network,
                                                                          business_unit):
    client.force_login(business_unit)
    page = client.get("/reports/annual/", {"year": 2024}).content.decode()
    assert ("In the period April-September 2024, 936 multiagency partners booked onto training events but only "
            "543 attended the event (393 no shows). This equated to an attendance record of 58%.") in page
    assert "the attendance percentage was 87% with 708 professionals attending" in page
    assert "(107 no shows)" in page
    rows = api_as(business_unit).get("/api/v1/reports/attendance/", {
        "by": "half_year", "partnership": "halton", "from": "2024-04-01", "to": "2025-03-31"}).json()
    assert [(r["key"], r["booked"], r["attended"], r["no_show"]) for r in rows] == [
        ("2024-04 to 2024-09", 936, 543, 393), ("2024-10 to 2025-03", rows[1]["booked"], 708, 107)]


def test_the_home_partnership_filter_counts_the_bookers(api_as, hub_of_four, network, make_person, halton):
    lead = act_for(make_person("nina@halton.gov.uk", halton), network["halton"], roles.NETWORK_LEAD)
    rows = api_as(lead).get("/api/v1/reports/attendance/", {"by": "level", "home_partnership": "warrington"}).json()
    assert sum(r["booked"] for r in rows) == 9  # 5 places held, then 4: the cancelled one is not counted
    rows = api_as(lead).get("/api/v1/reports/attendance/", {
        "by": "level", "home_partnership": "halton", "partnership": "warrington"}).json()
    assert sum(r["booked"] for r in rows) == 6
    response = api_as(lead).get("/api/v1/reports/attendance/", {"partnership": "atlantis"})
    assert response.status_code == 400 and "Unknown partnership" in response.json()["detail"]


def test_a_business_unit_reports_on_its_own_partnerships_only(api_as, hub_of_four, network, make_person, police):
    warrington_bu = act_for(make_person("wes@warrington.gov.uk", police), network["warrington"],
                            roles.BUSINESS_UNIT)
    rows = api_as(warrington_bu).get("/api/v1/reports/attendance/", {"by": "course"}).json()
    # Warrington's own course, with Halton's people who came to it; nothing Halton or the Cheshires delivered
    assert [r["key"] for r in rows] == ["warrington/warrington local procedures"]
    assert rows[0]["booked"] == 9 + 6


def test_the_exchange_report(api_as, client, hub_of_four, network, make_person, halton, police):
    lead = act_for(make_person("nina@halton.gov.uk", halton), network["halton"], roles.NETWORK_LEAD)
    rows = api_as(lead).get("/api/v1/reports/exchange/", {"from": "2024-04-01", "to": "2025-03-31"}).json()
    pairs = {(r["home_partnership"], r["delivering_partnership"]): r for r in rows}
    assert set(pairs) == {("halton", "halton"), ("halton", "warrington"), ("cheshire-west", "cheshire-west"),
                          ("cheshire-east", "cheshire-east"), ("warrington", "warrington")}
    assert {k: pairs[("halton", "warrington")][k] for k in ("booked", "attended", "no_show")} == {
        "booked": 6, "attended": 4, "no_show": 2}
    assert pairs[("warrington", "warrington")] == {"home_partnership": "warrington",
                                                   "delivering_partnership": "warrington", "booked": 9,
                                                   "attended": 5, "partial": 1, "no_show": 3}
    halton_halton = pairs[("halton", "halton")]
    whole = selectors.totals(Filters(start=date(2024, 4, 1), end=date(2025, 3, 31),
                                     partnership=network["halton"].pk))
    assert halton_halton["booked"] == whole["booked"]

    cheshire_east_bu = act_for(make_person("cara@cheshireeast.gov.uk", police), network["cheshire-east"],
                               roles.BUSINESS_UNIT)
    rows = api_as(cheshire_east_bu).get("/api/v1/reports/exchange/").json()
    assert [(r["home_partnership"], r["delivering_partnership"]) for r in rows] == [("cheshire-east",
                                                                                     "cheshire-east")]
    warrington_bu = act_for(make_person("wes@warrington.gov.uk", police), network["warrington"], roles.BUSINESS_UNIT)
    rows = api_as(warrington_bu).get("/api/v1/reports/exchange/").json()
    assert {(r["home_partnership"], r["delivering_partnership"]) for r in rows} == {("halton", "warrington"),
                                                                                   ("warrington", "warrington")}

    client.force_login(lead)
    page = client.get("/reports/exchange/", {"from": "2024-04-01", "to": "2025-03-31"}).content.decode()
    assert "Places exchanged between partnerships" in page and "hub-chart" in page
    assert "Warrington Safeguarding Partnership" in page
    csv_text = client.get("/reports/exchange/", {"export": "csv"}).content.decode()
    assert csv_text.splitlines()[0] == "Home partnership,Delivered by,Booked,Attended,Partial,No-show"
    assert "Warrington Safeguarding Partnership,Warrington Safeguarding Partnership,9,5,1,3" in csv_text
    sheet = load_workbook(io.BytesIO(client.get("/reports/exchange/", {"export": "xlsx"}).content)).active
    assert sheet["A1"].value == "Home partnership" and sheet.max_row == 6
    assert client.get("/reports/").content.decode().count('href="/reports/exchange/"') == 1
    bad = client.get("/reports/exchange/", {"from": "April"})
    assert bad.status_code == 200 and "from must be a date" in bad.content.decode()
    assert api_as(lead).get("/api/v1/reports/exchange/", {"to": "soon"}).status_code == 400


def test_who_may_read_the_exchange_report(api_as, client, network, finance, practitioner, agency_manager):
    for person in (finance, practitioner, agency_manager):
        assert api_as(person).get("/api/v1/reports/exchange/").status_code == 403
        client.force_login(person)
        assert client.get("/reports/exchange/").status_code == 403


def test_the_exchange_report_is_in_the_served_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/reports/exchange/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/reports/attendance/"]["get"]["parameters"]}
    assert {"partnership", "home_partnership"} <= params


def test_the_network_lead_reads_every_report_and_changes_nothing(client, hub_of_four, network, make_person, halton):
    lead = act_for(make_person("nina@halton.gov.uk", halton), network["halton"], roles.NETWORK_LEAD)
    client.force_login(lead)
    for path in ("/reports/", "/reports/annual/?year=2024&partnership=warrington", "/reports/exchange/"):
        assert client.get(path).status_code == 200, path
    page = client.get("/reports/annual/", {"year": 2024, "partnership": "warrington"}).content.decode()
    assert "Training delivered by the Warrington Safeguarding Partnership" in page
    for action in ("manage_catalogue", "manage_sessions", "take_register", "decide_charges", "invoice_agencies",
                   "manage_charging_policy", "manage_resources", "send_briefings", "correct_marks", "use_admin",
                   "manage_learning_reviews", "manage_agencies"):
        assert not may(lead, action), action


def test_a_hub_of_one_shows_no_partnership_filters(client, business_unit):
    client.force_login(business_unit)
    page = client.get("/reports/").content.decode()
    assert "Delivered by" not in page and "home partnership" not in page and "/reports/exchange/" not in page
    assert ('<a class="govuk-link" href="/reports/annual/">The year in the annual report\'s words</a> · '
            '<a class="govuk-link" href="/reports/evaluations/">Evaluation and impact</a> · '
            '<a class="govuk-link" href="/reports/resources/">Digital reach</a>') in page
    assert "Training delivered by" not in client.get("/reports/annual/").content.decode()


def test_the_exchange_and_annual_reports_take_the_partnership_filters(api_as, client, hub_of_four, network,
                                                                      make_person, halton):
    lead = act_for(make_person("nina@halton.gov.uk", halton), network["halton"], roles.NETWORK_LEAD)
    rows = api_as(lead).get("/api/v1/reports/exchange/", {"home_partnership": "halton"}).json()
    assert {(r["home_partnership"], r["delivering_partnership"]) for r in rows} == {("halton", "halton"),
                                                                                   ("halton", "warrington")}
    rows = api_as(lead).get("/api/v1/reports/exchange/", {"partnership": "warrington"}).json()
    assert {(r["home_partnership"], r["delivering_partnership"]) for r in rows} == {("halton", "warrington"),
                                                                                   ("warrington", "warrington")}
    assert api_as(lead).get("/api/v1/reports/exchange/", {"partnership": "atlantis"}).status_code == 400
    client.force_login(lead)
    page = client.get("/reports/exchange/", {"home_partnership": "atlantis"}).content.decode()
    assert "Unknown home partnership" in page
    page = client.get("/reports/annual/", {"year": 2024, "partnership": "warrington",
                                           "home_partnership": "halton"}).content.decode()
    assert "In the period April-September 2024, 3 multiagency partners booked" in page
