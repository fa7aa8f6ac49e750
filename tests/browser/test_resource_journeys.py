import re
from datetime import date

import pytest

from resources import services
from resources.models import Briefing, Dissemination, WorkedThrough
from tests.browser.test_booking_journeys import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def sway(halton):
    return services.publish_resource(title="Section 47 SWAY", theme="Section 47 enquiries", kind="sway",
                                     url="https://sway.cloud.microsoft/halton-section-47", owner_agency=halton)


def test_practitioner_finds_a_resource_and_marks_it_worked_through(browser_page, sway, practitioner):
    page = browser_page.page
    sign_in(browser_page, practitioner)
    browser_page.goto("/resources/")
    page.get_by_role("link", name="Section 47 SWAY").click()
    browser_page.axe()
    assert page.get_by_role("link", name="Open the resource").get_attribute("href").endswith(f"/{sway.pk}/open/")
    page.get_by_label("What will you do differently? (optional)").fill("Share the s47 hallmarks with my team.")
    page.get_by_role("button", name="I have worked through this").click()
    browser_page.axe()
    browser_page.goto("/bookings/")
    assert "Share the s47 hallmarks" in page.locator("main").inner_text()
    assert WorkedThrough.objects.get().person == practitioner


def test_agency_manager_records_a_dissemination(browser_page, sway, agency_manager):
    page = browser_page.page
    sign_in(browser_page, agency_manager)
    browser_page.goto(f"/resources/{sway.pk}/")
    used = page.get_by_role("group", name="Date used")  # GOV.UK's date input: day, month and year
    used.get_by_label("Day").fill("1")
    used.get_by_label("Month").fill("5")
    used.get_by_label("Year").fill("2025")
    page.get_by_label("Staff briefed").fill("12")
    page.get_by_role("button", name="Record it").click()
    browser_page.axe()
    assert "12 staff briefed" in page.locator("main").inner_text()
    assert Dissemination.objects.get().date == date(2025, 5, 1)
    browser_page.goto("/reports/resources/")
    assert "Section 47 SWAY" in page.locator("main").inner_text()


def test_business_unit_sends_a_briefing(browser_page, sway, business_unit, practitioner):
    page = browser_page.page
    sign_in(browser_page, business_unit)
    browser_page.goto("/briefings/new/")
    page.get_by_label("Title").fill("Partnership Briefing Issue No: 91")
    page.get_by_label("Body").fill("ERASE dates have been released.")
    page.get_by_label("Section 47 SWAY").check()
    page.get_by_role("button", name="Send the briefing").click()
    browser_page.axe()
    assert re.search(r"Briefing sent to \d+ people", page.locator("main").inner_text())
    assert Briefing.objects.get().recipients >= 2
