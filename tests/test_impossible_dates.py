"""A well-formed but impossible date (30 February) is bad input everywhere, never a 500."""

import pytest
from django.core.management import CommandError, call_command

from tests.bookings.test_import_history import HEADER, write


@pytest.mark.parametrize("path", [
    "/api/v1/reports/attendance/?from=2024-02-30",
    "/api/v1/reports/resources/?to=2024-13-01",
    "/api/v1/sessions/?starts_after=2024-02-30T10:00:00Z",
])
def test_the_api_answers_400_naming_the_parameter(api_as, business_unit, path):
    response = api_as(business_unit).get(path)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_scheduling_on_30_february_is_a_400(api_as, business_unit, course):
    response = api_as(business_unit).post("/api/v1/sessions/", {
        "course": course.pk, "capacity": 5, "venue": "Runcorn Town Hall",
        "parts": [{"starts_at": "2030-02-30T09:30:00+00:00", "ends_at": "2030-02-30T12:00:00+00:00"}],
    }, format="json")
    assert response.status_code == 400
    assert "ISO 8601" in str(response.json())


def test_pages_explain_an_impossible_date_in_a_link(client, business_unit, agency_manager):
    client.force_login(business_unit)
    response = client.get("/reports/", {"from": "2024-02-30"})
    assert response.status_code == 200 and "from must be a date like 2024-04-01." in response.content.decode()
    client.force_login(agency_manager)
    response = client.get("/agency/completions/", {"to": "2024-02-30"})
    assert response.status_code == 200 and "to must be a date like 2024-04-01." in response.content.decode()


def test_the_history_import_names_the_line_with_an_impossible_time(tmp_path, db):
    row = ("x@halton.gov.uk,X,halton-bc,Prevent,basic,2024-02-30T12:30:00+00:00,"
           "2024-02-30T13:30:00+00:00,attended,2024-01-02T10:00:00+00:00\n")
    with pytest.raises(CommandError, match="line 2, column 6 \\(session_start\\): "
                                           "session_start '2024-02-30T12:30:00\\+00:00' is not an ISO 8601"):
        call_command("import_history", str(write(tmp_path, HEADER + row)))
