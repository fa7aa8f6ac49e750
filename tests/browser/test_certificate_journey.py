import re

import pytest

from attendance.services import close_register, mark
from certificates.models import Certificate
from lib.dates import london
from tests.browser.test_booking_journeys import sign_in
from tests.conftest import confirmed

pytestmark = pytest.mark.browser


def test_practitioner_evaluates_downloads_the_certificate_and_a_visitor_verifies_it(
        browser_page, chromium, live_server, past_session, practitioner, trainer):
    [booking] = confirmed(past_session, practitioner)
    mark(past_session, [(booking.pk, "attended")], by=trainer, now=london(2030, 3, 14, 17, 0))
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))
    page = browser_page.page
    sign_in(browser_page, practitioner)
    browser_page.goto("/learning-record/")
    page.get_by_role("link", name=re.compile("Evaluate")).click()
    browser_page.axe()
    page.get_by_role("group", name=re.compile("Before the course")).get_by_label("2").check()
    page.get_by_role("group", name=re.compile("After the course")).get_by_label("4").check()
    page.get_by_label("What did you learn?").fill("How neglect presents in school-age children.")
    page.get_by_label(re.compile("Your impact statement")).fill("I will use the neglect toolkit at every review.")
    page.get_by_role("button", name="Send my evaluation").click()
    browser_page.axe()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download certificate")).click()
    assert download.value.suggested_filename.startswith("certificate-")
    code = Certificate.objects.get().code

    visitor = chromium.new_context()
    from tests.browser.conftest import Checked

    checked = Checked(visitor.new_page(), live_server.url)
    checked.goto(f"/certificates/verify/{code}/")
    assert "This certificate is genuine" in checked.page.locator("main").inner_text()
    checked.goto("/certificates/verify/UNKNOWN123/")
    assert "We do not know this certificate" in checked.page.locator("main").inner_text()
    visitor.close()
