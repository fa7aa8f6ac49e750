"""A Warrington police officer misses a Halton masterclass open to the network: Halton charges the police."""

import pytest
from django.utils import timezone

from attendance.services import close_register
from charging.models import Charge
from courses.models import Course, Session
from people import roles
from people.models import Partnership
from people.partnerships import default_partnership
from people.services import grant_role
from tests.browser.test_booking_journeys import sign_in

pytestmark = pytest.mark.browser


def test_halton_finance_not_warringtons_invoices_a_warrington_officers_no_show(
        browser_page, stripe_on, make_course, soon_session, make_person, police, warrington_finance, finance, trainer):
    halton_p = default_partnership()
    masterclass = make_course("Masterclass: Contextual Safeguarding", level=Course.Level.MASTERCLASS)
    assert masterclass.partnership == halton_p
    session = soon_session()
    session.course = masterclass
    session.open_to = "network"
    session.save(update_fields=["course", "open_to"])
    officer = make_person("pat@cheshire.police.uk", police, roles.PRACTITIONER, name="Pat Constable")
    officer.home_partnership = Partnership.objects.get(slug="warrington")
    officer.save(update_fields=["home_partnership"])

    page = browser_page.page
    sign_in(browser_page, officer)
    browser_page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("button", name="Book a place").click()
    assert "You are booked" in page.locator("main").inner_text()
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=8))
    session.refresh_from_db()
    close_register(session, by=trainer)  # nobody marked: Pat did not attend
    charge = Charge.objects.get()
    assert (charge.partnership, charge.agency.code) == (halton_p, "cheshire-police")

    page.context.clear_cookies()
    sign_in(browser_page, warrington_finance)
    browser_page.goto("/charges/?status=all")
    browser_page.axe()
    assert "Pat Constable" not in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(browser_page, finance)
    browser_page.goto("/charges/")
    main = page.locator("main").inner_text()
    assert "Pat Constable" in main and "Halton Children and Young People Safeguarding Partnership" in main
    page.get_by_label("Select Pat Constable").check()
    page.get_by_role("button", name="Approve the selected charges").click()
    browser_page.axe()
    page.get_by_role("button", name="Invoice Cheshire Constabulary").click()
    browser_page.axe()
    assert "sent through Stripe" in page.locator("main").inner_text()
    charge.refresh_from_db()
    assert charge.status == "invoiced" and charge.invoice.partnership == halton_p


@pytest.fixture
def warrington_finance(make_person, police):
    warrington = Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    police.partnerships.add(default_partnership(), warrington)
    wendy = make_person("wendy@warrington.gov.uk", police, roles.PRACTITIONER, name="Wendy Finch")
    grant_role(wendy, roles.FINANCE, partnership=warrington)
    return wendy
