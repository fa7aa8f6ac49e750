"""The header at desktop width: one row of menu items for every role, and "Sign out" like its neighbour."""

import pytest

from people import roles
from tests.browser.test_booking_journeys import sign_in

pytestmark = pytest.mark.browser

LOOKS = "el => { const s = getComputedStyle(el); return [s.color, s.fontSize, s.fontWeight, s.textDecorationLine]; }"


def _menu_rows(page) -> list[float]:
    return page.evaluate("""() => [...new Set([...document.querySelectorAll('#navigation > li')].map(
        li => Math.round(li.getBoundingClientRect().top)))]""")


def test_the_menu_fits_one_row_at_1280px_for_every_role(browser_page, practitioner, trainer, finance, business_unit,
                                                         agency_manager, make_person, halton):
    # the longest menu: someone in the business unit who also trains
    training_business_unit = make_person("bea@halton.gov.uk", halton, roles.BUSINESS_UNIT, roles.TRAINER)
    page = browser_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    for person in (practitioner, trainer, finance, business_unit, training_business_unit, agency_manager):
        page.context.clear_cookies()
        sign_in(browser_page, person)
        browser_page.goto("/")
        items = page.locator("#navigation > li")
        assert items.count() >= 4, person.email
        assert len(_menu_rows(page)) == 1, (person.email, page.locator("#navigation").inner_text())
        account = page.get_by_role("navigation", name="Your account")
        sign_out = account.get_by_role("button", name="Sign out")
        your_account = account.get_by_role("link", name="Your account")
        assert sign_out.evaluate(LOOKS) == your_account.evaluate(LOOKS), person.email
        assert sign_out.bounding_box()["y"] == pytest.approx(your_account.bounding_box()["y"], abs=2)


def test_each_role_reaches_its_management_pages_from_one_menu_item(browser_page, business_unit, agency_manager):
    page = browser_page.page
    sign_in(browser_page, business_unit)
    browser_page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Run the programme").click()
    browser_page.axe()
    for name in ("Charges", "Charging policy", "Resources", "Attendance, charges and reach", "Briefings"):
        assert page.get_by_role("main").get_by_role("link", name=name, exact=True).is_visible(), name
    page.context.clear_cookies()
    sign_in(browser_page, agency_manager)
    browser_page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your agency").click()
    browser_page.axe()
    for name in ("Places on sessions to come", "Training completions", "Charges to your agency",
                 "Attendance, charges and reach"):
        page.get_by_role("main").get_by_role("link", name=name).click()
        browser_page.axe()
        page.go_back()
