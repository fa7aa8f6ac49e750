"""The learning tracker, end to end: a rapid review, a recommendation answered by a course, an agency
manager's evidence, and the tracker turning green; axe-core on every page on the way."""

import re

import pytest

from reviews.models import AgencyHeadcount, Evidence, Recommendation
from tests.browser.test_booking_journeys import assert_reflows, sign_in

pytestmark = pytest.mark.browser


def _fill_date(page, group: str, day: str, month: str, year: str) -> None:
    boxes = page.get_by_role("group", name=group)
    boxes.get_by_label("Day").fill(day)
    boxes.get_by_label("Month").fill(month)
    boxes.get_by_label("Year").fill(year)


def test_rapid_review_to_green_through_an_agency_managers_evidence(browser_page, business_unit, agency_manager,
                                                                  halton, course):
    AgencyHeadcount.objects.create(agency=halton, headcount=10)
    page = browser_page.page
    sign_in(browser_page, business_unit)
    browser_page.goto("/learning/")
    page.get_by_role("link", name="Record a review").click()
    browser_page.axe()
    page.get_by_role("button", name="Save the review").click()  # nothing filled in: the error state
    browser_page.axe()
    page.get_by_label("Rapid review").check()
    page.get_by_label("Title").fill("Rapid review for Child N")
    _fill_date(page, "Date of the review", "1", "8", "2024")
    page.get_by_label("Themes (optional)").fill("Neglect, Water safety")
    page.get_by_role("button", name="Save the review").click()
    browser_page.axe()
    page.get_by_role("link", name="Add a recommendation").click()
    browser_page.axe()
    page.get_by_label("Recommendation", exact=True).fill("Practitioners use the neglect toolkit at every visit.")
    page.get_by_label("Lead agency").select_option(label="Halton Borough Council")
    _fill_date(page, "Due date", "31", "12", "2035")
    page.get_by_label("Understanding Neglect and Local Procedures").check()
    page.get_by_role("button", name="Add the recommendation").click()
    browser_page.axe()
    rec = Recommendation.objects.get()
    assert list(rec.courses.all()) == [course]
    browser_page.goto("/learning/")
    row = page.get_by_role("row", name=re.compile("Rapid review for Child N, 1"))
    assert "Amber" in row.inner_text()  # Halton has reached none of its ten staff
    browser_page.goto(f"/learning/recommendations/{rec.pk}/")
    browser_page.goto(f"/learning/recommendations/{rec.pk}/change/")
    browser_page.goto("/learning/themes/")
    browser_page.goto(f"/learning/reviews/{rec.review_id}/change/")
    browser_page.goto(f"/courses/{course.pk}/")
    assert "Rapid review for Child N (rapid review)" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(browser_page, agency_manager)
    browser_page.goto("/learning/")
    page.get_by_role("link", name="Rapid review for Child N, 1").click()
    browser_page.axe()
    page.get_by_label("What your agency has done").fill("Toolkit briefed at the team meeting and in supervision.")
    page.get_by_label("Staff reached (optional)").fill("8")
    page.get_by_role("button", name="Add evidence").click()
    browser_page.axe()
    assert "8 staff reached" in page.locator("main").inner_text()
    assert Evidence.objects.get().agency == halton
    browser_page.goto("/learning/")
    row = page.get_by_role("row", name=re.compile("Rapid review for Child N, 1"))
    assert "Green" in row.inner_text()
    page.set_viewport_size({"width": 320, "height": 700})
    assert_reflows(browser_page, "/learning/")
    assert_reflows(browser_page, f"/learning/recommendations/{rec.pk}/")
