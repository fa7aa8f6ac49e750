import re

import pytest
from django.utils import timezone

from charging.models import Charge
from courses.models import Session
from tests.browser.test_booking_journeys import assert_choices_whole, sign_in
from tests.conftest import confirmed

pytestmark = pytest.mark.browser


def test_trainer_marks_and_closes_a_register(browser_page, past_session, practitioner, colleague, trainer):
    a, b = confirmed(past_session, practitioner, colleague)
    Session.objects.filter(pk=past_session.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=1))
    page = browser_page.page
    page.set_viewport_size({"width": 390, "height": 844})  # the trainer's phone in the training room
    sign_in(browser_page, trainer)
    browser_page.goto("/teaching/")
    page.get_by_role("link", name=re.compile("Take the register")).click()
    browser_page.axe()
    page.get_by_role("group", name="Mark for Priya Shah").get_by_label("Attended").check()
    page.get_by_role("group", name="Mark for Tom Walsh").get_by_label("Partly").check()
    page.get_by_role("button", name="Save marks").click()
    browser_page.axe()
    assert "Saved 2 marks" in page.locator("main").inner_text()
    page.get_by_role("button", name="Close the register").click()
    browser_page.axe()
    assert "The register is closed" in page.locator("main").inner_text()
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("attended", "partial")


def test_the_register_on_a_320px_phone_shows_every_mark_whole(browser_page, past_session, practitioner, colleague,
                                                                trainer):
    practitioner.agency.name = "Bridgewater Community Healthcare NHS Foundation Trust"
    practitioner.agency.save()
    confirmed(past_session, practitioner, colleague)
    Session.objects.filter(pk=past_session.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=1))
    page = browser_page.page
    page.set_viewport_size({"width": 320, "height": 700})
    sign_in(browser_page, trainer)
    browser_page.goto(f"/sessions/{past_session.pk}/register/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_choices_whole(browser_page, "the register")
    table = page.locator(".hub-register").bounding_box()
    for label in page.locator(".hub-register .govuk-radios__label").all():
        box = label.bounding_box()
        assert box["x"] + box["width"] <= table["x"] + table["width"], label.inner_text()
    assert page.get_by_role("group", name="Mark for Priya Shah").get_by_label("Attended").is_visible()


def test_closing_with_people_unmarked_asks_first(browser_page, past_session, practitioner, colleague, trainer):
    a, b = confirmed(past_session, practitioner, colleague)
    Session.objects.filter(pk=past_session.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=1))
    page = browser_page.page
    sign_in(browser_page, trainer)
    browser_page.goto(f"/sessions/{past_session.pk}/register/")
    page.get_by_role("group", name="Mark for Priya Shah").get_by_label("Attended").check()
    page.get_by_role("button", name="Save marks").click()
    page.get_by_role("button", name="Close the register").click()
    browser_page.axe()
    alert = page.get_by_role("alert").inner_text()
    assert "1 person is not marked" in alert and "Tom Walsh" in alert
    page.get_by_role("button", name="Close and make them no-shows").click()
    browser_page.axe()
    assert "The register is closed" in page.locator("main").inner_text()
    b.refresh_from_db()
    assert b.status == "no_show"


def test_finance_waives_one_charge_and_invoices_an_agency(browser_page, stripe_on, past_session, practitioner,
                                                          colleague, trainer, finance):
    from attendance.services import close_register
    from lib.dates import london

    confirmed(past_session, practitioner, colleague)
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))
    page = browser_page.page
    sign_in(browser_page, finance)
    browser_page.goto("/charges/")
    page.get_by_role("link", name="Priya Shah").click()
    browser_page.axe()
    page.get_by_label("Booking error").check()
    page.get_by_role("button", name="Waive the charge").click()
    browser_page.axe()
    assert "Charge waived" in page.locator("main").inner_text()
    page.get_by_label("Select Tom Walsh").check()
    page.get_by_role("button", name="Approve the selected charges").click()
    browser_page.axe()
    page.get_by_role("button", name="Invoice Halton Borough Council").click()
    browser_page.axe()
    assert "sent through Stripe" in page.locator("main").inner_text()
    statuses = dict(Charge.objects.values_list("booking__person__name", "status"))
    assert statuses == {"Priya Shah": "waived", "Tom Walsh": "invoiced"}
