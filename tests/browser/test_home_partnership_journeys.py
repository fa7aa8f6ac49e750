"""A police officer on a network hub: sign-up asks their home partnership as soon as their agency works with
several; the account page changes it; the data manager's partnership pages. Every page passes axe."""

import re

import pytest

from people import roles
from people.models import Partnership, Person
from people.partnerships import default_partnership
from people.services import grant_role, join_partnership
from tests.browser.test_booking_journeys import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership",
                                      contact_email="wsp@warrington.gov.uk")


def test_an_officer_is_asked_the_home_partnership_as_soon_as_the_agency_is_chosen(browser_page, halton, police,
                                                                                   warrington):
    join_partnership(police, warrington)
    police.email_domains = "cheshire.police.uk"
    police.save()
    page = browser_page.page
    browser_page.goto("/accounts/signup/")
    question = page.get_by_role("group", name="Your home partnership")
    assert not question.is_visible()
    page.get_by_label("Agency you work for").select_option("halton-bc")
    assert not question.is_visible()  # Halton Borough Council works with Halton alone
    page.get_by_label("Full name").fill("Olly Jones")
    page.get_by_label("Work email address").fill("olly@cheshire.police.uk")
    page.get_by_label("Agency you work for").select_option("cheshire-police")
    assert question.is_visible()
    browser_page.axe()
    assert question.get_by_role("radio").count() == 2
    question.get_by_label("Warrington Safeguarding Partnership").check()
    page.get_by_label("Job title").fill("Police constable")
    page.get_by_label("Password", exact=True).fill("correct-horse-battery")
    page.get_by_label("Password (again)").fill("correct-horse-battery")
    page.get_by_role("button", name="Create an account").click()
    browser_page.axe()
    assert Person.objects.get(email="olly@cheshire.police.uk").home_partnership == warrington


def test_a_missing_answer_is_an_accessible_error(browser_page, police, warrington):
    join_partnership(police, warrington)
    page = browser_page.page
    browser_page.goto("/accounts/signup/")
    page.evaluate("document.querySelector('#home-partnership-question').remove()")  # as a page without script
    page.get_by_label("Full name").fill("Olly Jones")
    page.get_by_label("Work email address").fill("olly@cheshire.police.uk")
    page.get_by_label("Agency you work for").select_option("cheshire-police")
    page.get_by_label("Job title").fill("Police constable")
    page.get_by_label("Password", exact=True).fill("correct-horse-battery")
    page.get_by_label("Password (again)").fill("correct-horse-battery")
    page.get_by_role("button", name="Create an account").click()
    browser_page.axe()
    assert "Select your home partnership: Cheshire Constabulary works with more than one partnership" in \
        page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_role("group", name=re.compile("Your home partnership")).is_visible()
    assert not Person.objects.filter(email="olly@cheshire.police.uk").exists()


def test_an_officer_changes_their_home_partnership(browser_page, make_person, police, warrington):
    join_partnership(police, warrington)
    officer = make_person("olly@cheshire.police.uk", police, roles.PRACTITIONER)
    page = browser_page.page
    sign_in(browser_page, officer)
    browser_page.goto("/account/")
    page.get_by_role("link", name="Change home partnership").click()
    browser_page.axe()
    page.get_by_role("button", name="Save").click()
    browser_page.axe()  # still the first: saved as it was
    page.get_by_role("link", name="Change home partnership").click()
    page.get_by_label("Warrington Safeguarding Partnership").check()
    page.get_by_role("button", name="Save").click()
    browser_page.axe()
    assert "Your home partnership is now Warrington Safeguarding Partnership" in page.locator("main").inner_text()
    officer.refresh_from_db()
    assert officer.home_partnership == warrington


def test_the_data_manager_s_partnership_pages_pass_axe(browser_page, business_unit, make_person, police,
                                                       warrington):
    join_partnership(police, warrington)
    grant_role(business_unit, roles.BUSINESS_UNIT, partnership=warrington)
    officer = make_person("olly@cheshire.police.uk", police, roles.PRACTITIONER, roles.TRAINER)
    sign_in(browser_page, business_unit)
    for path in ("/manage/people/partnership/", f"/manage/people/partnership/{warrington.pk}/change/",
                 "/manage/people/agency/", f"/manage/people/agency/{police.pk}/change/",
                 f"/manage/people/person/{officer.pk}/change/", "/manage/people/person/add/"):
        browser_page.goto(path)
