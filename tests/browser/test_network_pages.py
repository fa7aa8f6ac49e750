"""The network's own pages on a hub of four partnerships, as people see them: the network calendar with its
partnership filter, a partnership's page, and the reports with their partnership filters and the exchange
report's chart. axe-core (WCAG 2.2 AA) at desktop width and at 320 px."""

import pytest
from django.utils import timezone

from bookings.models import Booking
from courses.models import Course, Session
from demo.data import load_demo
from demo.partnership import DEMO_PASSWORD
from people import roles
from people.models import Person
from people.services import grant_role
from tests.browser.test_booking_journeys import assert_reflows, sign_in
from tests.partnerships.four import act_for, four_partnerships

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1100, "height": 900}, {"width": 320, "height": 700}


@pytest.mark.django_db(transaction=True)
def test_the_network_pages_pass_axe_at_desktop_and_phone_width(browser_page):
    load_demo(sessions_wanted=4)
    network = four_partnerships()
    Course.objects.filter(pk=Course.objects.order_by("pk").values("pk")[:1]).update(partnership=network["warrington"])
    Session.objects.filter(starts_at__gt=timezone.now()).update(open_to="network")
    people = {p.email: p for p in Person.objects.all()}
    # some of Warrington's people went to Halton's training: the exchange report has more than one row
    for person in list(Person.objects.filter(agency__code="cheshire-police"))[:3]:
        Person.objects.filter(pk=person.pk).update(home_partnership=network["warrington"])
    assert Booking.objects.exists()
    lead = act_for(people["business@halton.gov.uk"], network["halton"], roles.BUSINESS_UNIT, roles.NETWORK_LEAD,
                   home=network["halton"])
    grant_role(lead, roles.BUSINESS_UNIT, partnership=network["warrington"])  # runs two programmes: the chooser
    page = browser_page.page
    for who, paths in (
        (None, ["/", "/?partnership=warrington", "/p/warrington/", "/p/halton/",
                f"/sessions/{Session.objects.order_by('-starts_at').first().pk}/"]),
        (lead, ["/", "/programme/", "/reports/?by=agency",
                "/reports/?by=month&partnership=halton&home_partnership=warrington",
                "/reports/annual/?year=2024&partnership=halton&home_partnership=warrington", "/reports/exchange/",
                "/reports/exchange/?partnership=halton",
                "/reports/evaluations/?partnership=halton", "/reports/resources/?home_partnership=halton"]),
    ):
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        if who is not None:
            sign_in(browser_page, who, password=DEMO_PASSWORD)
        for path in paths:
            page.set_viewport_size(DESKTOP)
            response = page.goto(browser_page.base_url + path)
            assert response.status == 200, (path, response.status)
            browser_page.axe()
            page.set_viewport_size(PHONE)
            assert_reflows(browser_page, path)
    page.set_viewport_size(DESKTOP)
    browser_page.goto("/reports/exchange/")
    assert page.locator(".hub-chart__row").count() >= 2
    assert page.get_by_role("table").count() == 1
    # the business unit of two partnerships chooses Warrington's programme
    browser_page.goto("/programme/")
    page.get_by_label("The partnership you are running the programme for").select_option(
        label=network["warrington"].name)
    page.get_by_role("button", name="Change partnership").click()
    browser_page.axe()
    assert network["warrington"].name in page.locator("main").inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_header_names_the_network_and_closing_a_session_asks_first(browser_page, settings):
    """The demo network's header names the network on its calendar and Warrington on Warrington's page; Warrington's
    business unit opens its masterclass (places kept for Halton, a Halton officer holding one) only to its own
    people: the page says what that does and asks to confirm, axe-core passing at both widths."""
    from demo import network as demo_network

    settings.NETWORK_NAME = demo_network.NAME
    load_demo(sessions_wanted=4)
    page = browser_page.page
    browser_page.goto("/")
    assert page.locator(".hub-masthead__partnership").inner_text() == demo_network.NAME
    assert page.title().endswith(f"– {demo_network.NAME}")
    browser_page.goto("/p/warrington/")
    assert page.locator(".hub-masthead__partnership").inner_text() == "Warrington Safeguarding Partnership"
    title, _, _ = demo_network.RESERVED
    session = Session.objects.get(course__title=title, course__partnership__slug="warrington")
    sign_in(browser_page, Person.objects.get(email="business@warrington.gov.uk"), password=DEMO_PASSWORD)
    browser_page.goto(f"/sessions/{session.pk}/change/")
    page.get_by_label("People of the delivering partnership").check()
    page.get_by_role("button", name="Save session").click()
    browser_page.axe()
    warning = page.locator("#closing").inner_text()
    assert "keeps their place: a place given is not taken away" in warning
    assert "The 10 places kept for Halton Children and Young People Safeguarding Partnership are dropped." in warning
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    browser_page.axe()
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Confirm and save session").click()
    browser_page.axe()
    assert "Session changed." in page.locator("main").inner_text()
    session.refresh_from_db()
    assert session.open_to == "partnership" and not session.reservations.exists()
