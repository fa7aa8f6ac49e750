"""On a hub of four partnerships: the listings' note of places kept for a partnership, and the delivering
partnership on "My bookings" and the agency manager's bookings. axe-core (WCAG 2.2 AA) at desktop width and
at 320 px."""

import pytest
from django.utils import timezone

from courses.models import Course, Session
from demo.data import load_demo
from demo.partnership import DEMO_PASSWORD
from people.models import Person
from tests.browser.test_booking_journeys import assert_reflows, sign_in
from tests.partnerships.four import four_partnerships

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1100, "height": 900}, {"width": 320, "height": 700}


@pytest.mark.django_db(transaction=True)
def test_kept_places_and_delivered_by_pass_axe_at_desktop_and_phone_width(browser_page):
    load_demo(sessions_wanted=4)
    network = four_partnerships()
    Course.objects.filter(pk=Course.objects.order_by("pk").values("pk")[:1]).update(partnership=network["warrington"])
    Session.objects.filter(starts_at__gt=timezone.now()).update(open_to="network")
    # the demo keeps places on a session to come for a partnership: its note shows signed out
    kept = Session.objects.filter(reservations__isnull=False, starts_at__gt=timezone.now()).first()
    assert kept is not None
    people = {p.email: p for p in Person.objects.all()}
    page = browser_page.page
    for who, paths, words in (
        (None, ["/", f"/sessions/{kept.pk}/", f"/courses/{kept.course_id}/"],
         "places kept for"),
        (people["practitioner@halton.gov.uk"], ["/bookings/"], "Delivered by"),
        (people["manager@bridgewater.nhs.uk"], ["/agency/bookings/"], "Delivered by"),
    ):
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        if who is not None:
            sign_in(browser_page, who, password=DEMO_PASSWORD)
        for path in paths:
            page.set_viewport_size(DESKTOP)
            response = page.goto(browser_page.base_url + path)
            assert response.status == 200, (path, response.status)
            assert words in page.locator("main").inner_text(), path
            browser_page.axe()
            page.set_viewport_size(PHONE)
            assert_reflows(browser_page, path)
