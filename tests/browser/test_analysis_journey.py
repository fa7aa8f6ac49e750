import pytest
from django.core.management import call_command

from reports import samples
from tests.browser.test_booking_journeys import sign_in

pytestmark = pytest.mark.browser


def test_business_unit_reads_the_analysis_and_the_annual_report(browser_page, business_unit, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(samples.history_csv())
    call_command("import_history", str(path))
    page = browser_page.page
    sign_in(browser_page, business_unit)
    page.get_by_role("link", name="Run the programme").click()
    browser_page.axe()
    assert "Schedule a session" in page.locator("main").inner_text()
    page.get_by_role("link", name="Attendance, charges and reach").click()
    browser_page.axe()
    browser_page.goto("/reports/?by=half_year")
    assert "2024-04 to 2024-09" in page.locator("main").inner_text()
    page.get_by_role("link", name="The year in the annual report's words").click()
    browser_page.axe()
    page.get_by_label("Year starting April").fill("2024")
    page.get_by_role("button", name="Show").click()
    browser_page.axe()
    assert "936 multiagency partners booked" in page.locator("main").inner_text()
