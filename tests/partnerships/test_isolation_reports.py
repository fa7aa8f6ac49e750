"""Isolation of the reports: each report, read as another partnership's business unit and finance officer,
through the API and the pages (tables, downloads, charts), never shows Halton's people or figures.

Halton holds a course, a session with its own people (one of them a no-show charged to their agency), an
evaluation, and a resource opened by its people, all with names found nowhere else; Warrington holds its own
course and people. Warrington's business unit and finance read every report; none may show a Halton name, and
the figures they do see add up to Warrington's alone.
"""

import io

import pytest
from openpyxl import load_workbook

from bookings.models import Booking
from certificates.models import Evaluation
from charging.models import Charge
from lib.dates import london
from people import roles
from people.models import Person
from resources.models import Opening, Resource
from tests.partnerships.four import act_for, agency_of, four_partnerships

HALTON_SECRETS = ("Harriet Hiddenname", "Nigel Noshowname", "Runcorn Hidden Agency", "runcorn-hidden",
                  "Halton Secret Course", "Halton secret impact statement", "Halton Secret Guide")

GROUPINGS = ("agency", "course", "level", "theme", "month", "half_year")
TABLES = ("attendance-by-month", "no-shows-by-agency", "fill-rate-by-course", "trainer-contributions",
          "charges-by-agency")

# (what, path, parameters): each report through the API and the pages, downloads included
API = [(f"attendance API by {by}", "/api/v1/reports/attendance/", {"by": by}) for by in GROUPINGS] + [
    ("attendance API, Halton delivering", "/api/v1/reports/attendance/", {"by": "agency", "partnership": "halton"}),
    ("attendance API, Halton's people", "/api/v1/reports/attendance/", {"by": "course", "home_partnership": "halton"}),
    ("reach API", "/api/v1/reports/resources/", {}),
    ("reach API, Halton's", "/api/v1/reports/resources/", {"partnership": "halton"}),
    ("exchange API", "/api/v1/reports/exchange/", {}),
    ("exchange API, Halton's people", "/api/v1/reports/exchange/", {"home_partnership": "halton"}),
]
PAGES = [(f"analysis by {by}", "/reports/", {"by": by}) for by in GROUPINGS] + [
    (f"{table} as {kind}", "/reports/", {"export": kind, "table": table})
    for table in TABLES for kind in ("csv", "xlsx")
] + [
    ("analysis, Halton delivering", "/reports/", {"by": "agency", "partnership": "halton"}),
    ("analysis, Halton's people", "/reports/", {"by": "agency", "home_partnership": "halton"}),
    ("annual report", "/reports/annual/", {"year": "2029"}),
    ("annual report, asking for Halton", "/reports/annual/", {"year": "2029", "partnership": "halton"}),
    ("exchange page", "/reports/exchange/", {}),
    ("exchange page, Halton delivering", "/reports/exchange/", {"partnership": "halton"}),
    ("annual report, Halton's people", "/reports/annual/", {"year": "2029", "home_partnership": "halton"}),
    ("exchange as csv", "/reports/exchange/", {"export": "csv"}),
    ("exchange as xlsx", "/reports/exchange/", {"export": "xlsx"}),
    ("evaluation report", "/reports/evaluations/", {}),
    ("evaluation report, Halton delivering", "/reports/evaluations/", {"partnership": "halton"}),
    ("reach report", "/reports/resources/", {}),
    ("reach report, Halton's", "/reports/resources/", {"partnership": "halton"}),
]


@pytest.fixture
def world(db, make_person, make_course, make_session, police):
    network = four_partnerships()
    halton_p, warrington_p = network["halton"], network["warrington"]
    hidden = agency_of("runcorn-hidden", "Runcorn Hidden Agency", halton_p)
    warrington_bc = agency_of("warrington-bc", "Warrington Borough Council", warrington_p)
    police.partnerships.add(*network.values())

    secret = make_course("Halton Secret Course", theme="Hidden harm")
    session = make_session(course_=secret, starts_at=london(2029, 6, 5, 9, 30), now=london(2029, 1, 2, 9, 0))
    harriet = make_person("harriet@runcorn-hidden.org", hidden, name="Harriet Hiddenname")
    nigel = make_person("nigel@runcorn-hidden.org", hidden, name="Nigel Noshowname")
    attended = Booking.objects.create(session=session, person=harriet, status="attended")
    missed = Booking.objects.create(session=session, person=nigel, status="no_show")
    for n in range(5):
        extra = make_person(f"h{n}@runcorn-hidden.org", hidden, name=f"Hidden Person {n}")
        Booking.objects.create(session=session, person=extra, status="attended")
    Charge.objects.create(booking=missed, agency=hidden, reason="no_show", amount_pence=5000)
    Evaluation.objects.create(booking=attended, confidence_before=2, confidence_after=4, learning="Plenty.",
                              impact_statement="Halton secret impact statement")
    guide = Resource.objects.create(title="Halton Secret Guide", theme="Hidden harm", kind="document",
                                    url="https://example.org/guide", owner_agency=hidden, partnership=halton_p)
    Opening.objects.create(resource=guide, person=harriet, agency=hidden)

    theirs = make_course("Warrington early help", theme="Early help")
    theirs.partnership = warrington_p
    theirs.save()
    w_session = make_session(course_=theirs, starts_at=london(2029, 6, 6, 9, 30), now=london(2029, 1, 2, 9, 0))
    for n, outcome in enumerate(("attended", "attended", "no_show")):
        person = make_person(f"w{n}@warrington.gov.uk", warrington_bc, name=f"Warrington Person {n}")
        Person.objects.filter(pk=person.pk).update(home_partnership=warrington_p)
        Booking.objects.create(session=w_session, person=person, status=outcome)
    readers = {
        "business unit": act_for(make_person("wes@warrington.gov.uk", warrington_bc), warrington_p,
                                 roles.BUSINESS_UNIT),
        "finance": act_for(make_person("fran@warrington.gov.uk", warrington_bc), warrington_p, roles.FINANCE),
    }
    return {"readers": readers}


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
    return response.content.decode()


@pytest.mark.parametrize("reader", ["business unit", "finance"])
@pytest.mark.parametrize(("what", "path", "params"), API, ids=[a[0] for a in API])
def test_no_report_api_shows_another_partnerships_people(api_as, world, reader, what, path, params):
    response = api_as(world["readers"][reader]).get(path, params)
    assert response.status_code in (200, 403), (what, response.status_code)
    for secret in HALTON_SECRETS:
        assert secret not in _text(response), (what, secret)
    if response.status_code == 200 and path == "/api/v1/reports/attendance/":
        # Warrington's figures alone: three places, two attended and one no-show
        rows = response.json()
        assert sum(r["booked"] for r in rows) in (0, 3), what
    if response.status_code == 200 and path == "/api/v1/reports/exchange/":
        assert {(r["home_partnership"], r["delivering_partnership"]) for r in response.json()} <= {
            ("warrington", "warrington")}


@pytest.mark.parametrize("reader", ["business unit", "finance"])
@pytest.mark.parametrize(("what", "path", "params"), PAGES, ids=[p[0] for p in PAGES])
def test_no_report_page_shows_another_partnerships_people(client, world, reader, what, path, params):
    client.force_login(world["readers"][reader])
    response = client.get(path, params)
    assert response.status_code in (200, 403, 404), (what, response.status_code)
    text = _text(response)
    for secret in HALTON_SECRETS:
        assert secret not in text, (what, secret)
    if response.status_code == 200 and path == "/reports/annual/" and "home_partnership" not in params:
        assert "Warrington Safeguarding Partnership" in text and "In the period April-September 2029, 3 " in text


def test_the_figures_are_there_for_halton_itself(api_as, world, business_unit):
    """The same reports as Halton's business unit do show Halton's people: the test above is not vacuous."""
    rows = api_as(business_unit).get("/api/v1/reports/attendance/", {"by": "agency"}).json()
    assert "runcorn-hidden" in {r["key"] for r in rows}
    assert api_as(business_unit).get("/api/v1/reports/resources/").json()[0]["title"] == "Halton Secret Guide"
