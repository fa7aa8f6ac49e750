import pytest
from django.core.management import call_command

from bookings.services import book_place
from courses.services import add_to_pool
from demo import samples
from tests.browser.test_booking_journeys import assert_reflows, sign_in

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


def test_the_programme_shows_what_is_coming_up_on_a_small_phone(browser_page, business_unit, course, trainer,
                                                                  soon_session, practitioner):
    add_to_pool(course, trainer)
    staffed = soon_session(trainers=[trainer])
    book_place(staffed, practitioner)
    soon_session()  # no trainer yet
    page = browser_page.page
    page.set_viewport_size({"width": 320, "height": 700})
    sign_in(browser_page, business_unit)
    assert_reflows(browser_page, "/programme/")
    text = page.locator("main").inner_text()
    assert "2 sessions scheduled from today" in text and trainer.name in text and "No trainer yet" in text
    page.get_by_role("link", name=f"Who is booked on {course.title}").first.click()
    browser_page.axe()
    assert page.url.endswith(f"/sessions/{staffed.pk}/bookings/")
    assert_reflows(browser_page, f"/sessions/{staffed.pk}/bookings/")
    page.get_by_label("Subject").fill("Room change: Council Chamber")
    page.get_by_label("Message").fill("We have moved to the Council Chamber.")
    page.get_by_role("button", name="Send the message").click()
    browser_page.axe()
    assert "Your message is on its way to 1 person." in page.locator("main").inner_text()
    assert "Room change: Council Chamber" in page.locator("table", has_text="Messages sent").inner_text()
