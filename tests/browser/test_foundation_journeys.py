import re

import pytest
from django.core import mail

from courses import services
from lib.dates import london
from people.models import Person

pytestmark = pytest.mark.browser


@pytest.fixture
def calendar_data(make_course, course, trainer, make_session):
    level3 = make_course(
        "Working Together to Safeguard Children Level 3", level="intermediate", theme="Multi-agency working"
    )
    services.add_to_pool(level3, trainer)
    make_session(course_=level3, starts_at=london(2030, 3, 20, 9, 30), trainers=[trainer], capacity=25)
    make_session(starts_at=london(2030, 3, 14, 9, 30))
    return level3


def test_visitor_filters_the_calendar_and_opens_a_session(browser_page, calendar_data):
    page = browser_page.page
    browser_page.goto("/")
    assert page.get_by_role("heading", name="Training calendar").is_visible()
    assert page.locator("#result-count").inner_text() == "2 sessions found"
    page.get_by_label("Level").select_option("intermediate")
    page.get_by_role("button", name="Apply filters").click()
    browser_page.axe()
    assert page.locator("#result-count").inner_text() == "1 session found"
    page.get_by_role("link", name=re.compile("Working Together to Safeguard Children Level 3")).click()
    browser_page.axe()
    assert page.get_by_role("heading", level=1).inner_text() == "Working Together to Safeguard Children Level 3"
    body = page.locator("main").inner_text()
    assert "Wednesday 20 March 2030, 09:30 to 16:00" in body
    assert "Cheshire Constabulary" in body
    assert "25 of 25" in body


def test_new_practitioner_signs_up_verifies_and_signs_in(browser_page, halton, police):
    for agency, domains in ((halton, "halton.gov.uk"), (police, "cheshire.police.uk")):
        agency.email_domains = domains
        agency.save()
    page = browser_page.page
    browser_page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    browser_page.axe()
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Work email address").fill("priya@halton.gov.uk")
    page.get_by_label("Agency you work for").focus()  # leaving the email field: the agency is chosen from it
    assert page.get_by_label("Agency you work for").input_value() == "halton-bc"
    page.get_by_label("Job title").fill("Social worker")
    page.get_by_label("Password", exact=True).fill("correct-horse-battery")
    page.get_by_label("Password (again)").fill("correct-horse-battery")
    page.get_by_role("button", name="Create an account").click()
    browser_page.axe()
    assert "confirm your email address" in page.locator("main").inner_text().lower(), page.locator("main").inner_text()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    browser_page.goto(link)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    browser_page.axe()
    if "login" not in page.url:
        browser_page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("priya@halton.gov.uk")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    browser_page.axe()
    browser_page.goto("/account/")
    body = page.locator("main").inner_text()
    assert "Priya Shah" in body and "Halton Borough Council" in body
    assert Person.objects.get(email="priya@halton.gov.uk").emailaddress_set.get().verified


def test_sign_in_errors_are_announced_accessibly(browser_page, practitioner):
    page = browser_page.page
    browser_page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(practitioner.email)
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    browser_page.axe()
    assert page.locator(".govuk-error-summary").is_visible()


def test_error_pages_are_service_pages(browser_page, practitioner):
    from tests.browser.test_booking_journeys import sign_in

    page = browser_page.page
    browser_page.goto("/sessions/999999/")
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    sign_in(browser_page, practitioner)
    browser_page.goto("/charges/")
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot see this page"
    assert page.get_by_role("link", name="Go to the training calendar").is_visible()


def test_the_api_reference_is_a_service_page(browser_page):
    page = browser_page.page
    browser_page.goto("/")
    page.get_by_role("link", name="API documentation").click()
    browser_page.axe()
    assert page.get_by_role("heading", level=1).inner_text() == "API documentation"
    assert page.get_by_role("table", name="Sessions").is_visible()
