"""The published figures come out of imported raw records exactly."""

from datetime import date

import pytest
from django.core.management import call_command

from demo import samples
from reports import selectors
from reports.selectors import Filters


@pytest.fixture
def history(tmp_path, db):
    path = tmp_path / "history.csv"
    path.write_text(samples.history_csv())
    call_command("import_history", str(path))
    return path


def test_april_to_september_2024_reproduces_the_published_figures(history):
    figures = selectors.totals(Filters(start=date(2024, 4, 1), end=date(2024, 9, 30)))
    assert (figures["booked"], figures["attended"], figures["no_show"]) == (936, 543, 393)
    assert round(figures["attendance_rate"], 2) == 0.58


def test_october_2024_to_march_2025_reproduces_the_published_figures(history):
    figures = selectors.totals(Filters(start=date(2024, 10, 1), end=date(2025, 3, 31)))
    assert (figures["attended"], figures["no_show"]) == (708, 107)
    assert round(figures["attendance_rate"], 2) == 0.87


def test_by_half_year(history):
    rows = {r["key"]: r for r in selectors.attendance(Filters(), by="half_year")}
    assert rows["2024-04 to 2024-09"]["booked"] == 936
    assert rows["2024-10 to 2025-03"]["attended"] == 708
    assert rows["2024-04 to 2024-09"]["late_cancelled"] > 0  # counted, but not as booked


def test_every_grouping_adds_up_to_the_same_total(history):
    whole = selectors.totals(Filters())
    for by in ("agency", "course", "level", "theme", "month", "half_year"):
        rows = selectors.attendance(Filters(), by=by)
        assert sum(r["booked"] for r in rows) == whole["booked"], by


def test_filters_narrow_the_figures(history):
    police = selectors.totals(Filters(agency="cheshire-police"))
    assert 0 < police["booked"] < selectors.totals(Filters())["booked"]
    basic = selectors.attendance(Filters(level="basic"), by="level")
    assert [r["key"] for r in basic] == ["basic"]


def test_attendance_api_for_the_business_unit(api_as, history, business_unit):
    data = api_as(business_unit).get("/api/v1/reports/attendance/",
                                     {"from": "2024-04-01", "to": "2024-09-30", "by": "half_year"}).json()
    assert data == [{"key": "2024-04 to 2024-09", "booked": 936, "attended": 543, "partial": 0, "no_show": 393,
                     "late_cancelled": data[0]["late_cancelled"], "cancelled": data[0]["cancelled"],
                     "attendance_rate": 0.5801}]


def test_agency_managers_see_their_agency_only(api_as, history, agency_manager):
    rows = api_as(agency_manager).get("/api/v1/reports/attendance/", {"by": "agency"}).json()
    assert [r["key"] for r in rows] == ["halton-bc"]


@pytest.mark.parametrize("params", [{"by": "planet"}, {"from": "April"}, {"level": "expert"}])
def test_bad_report_parameters_are_400(api_as, business_unit, params):
    response = api_as(business_unit).get("/api/v1/reports/attendance/", params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_practitioners_cannot_see_reports(api_as, practitioner):
    assert api_as(practitioner).get("/api/v1/reports/attendance/").status_code == 403
