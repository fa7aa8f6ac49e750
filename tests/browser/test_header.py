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


OFF_SCREEN = """() => [...document.querySelectorAll('a, button, input, select, textarea')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width && r.height && (r.right > window.innerWidth + 1 || r.left < -1);
}).map(el => el.outerHTML.slice(0, 80))"""


def test_the_data_manager_is_in_the_service_colours_with_every_control_on_screen_at_320px(
        browser_page, business_unit, session):
    page = browser_page.page
    sign_in(browser_page, business_unit)
    page.set_viewport_size({"width": 320, "height": 700})
    for path in ("/manage/", "/manage/courses/session/", "/manage/people/person/",
                 f"/manage/courses/course/{session.course.pk}/change/"):
        browser_page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert page.evaluate(OFF_SCREEN) == [], path
    assert page.locator("#header").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(29, 112, 184)"
    page.get_by_role("link", name="Run the programme").click()
    browser_page.axe()
    assert page.get_by_role("heading", level=1).inner_text() == "Run the programme"
