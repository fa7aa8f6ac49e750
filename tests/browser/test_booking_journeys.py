import re

import pytest

from bookings.models import Booking
from bookings.services import book_place
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(browser_page, person, password: str = PASSWORD):
    page = browser_page.page
    browser_page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()


def test_practitioner_books_sees_it_and_cancels(browser_page, practitioner, soon_session):
    session = soon_session()
    page = browser_page.page
    sign_in(browser_page, practitioner)
    browser_page.goto(f"/sessions/{session.pk}/")
    page.get_by_label("Do you need any adjustments to take part? (optional)").fill("A hearing loop, please.")
    assert "You have 977 characters remaining" in page.locator(".govuk-character-count__status").inner_text()
    page.get_by_role("button", name="Book a place").click()
    browser_page.axe()
    assert "You are booked" in page.locator("main").inner_text()
    assert Booking.objects.get(person=practitioner).adjustments == "A hearing loop, please."
    browser_page.goto("/bookings/")
    assert page.get_by_role("cell", name="Booked").is_visible()
    feed = page.locator("#feed-url").inner_text()
    assert "/calendar/feed/" in feed
    page.get_by_role("button", name=re.compile("Renew the address")).click()
    browser_page.axe()
    renewed = page.locator("#feed-url").inner_text()
    assert "/calendar/feed/" in renewed and renewed != feed
    assert page.request.get(feed).status == 404 and page.request.get(renewed).status == 200
    page.get_by_role("link", name=re.compile("^Cancel")).click()
    browser_page.axe()
    assert "There is no charge" in page.locator("main").inner_text()
    page.get_by_role("button", name="Yes, cancel my booking").click()
    browser_page.axe()
    assert "Your booking is cancelled" in page.locator("main").inner_text()
    assert Booking.objects.get().status == "cancelled"


def test_practitioner_joins_the_waiting_list_and_sees_the_position(browser_page, practitioner, colleague,
                                                                   soon_session):
    session = soon_session(capacity=1)
    book_place(session, colleague)
    page = browser_page.page
    sign_in(browser_page, practitioner)
    browser_page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("button", name="Join the waiting list").click()
    browser_page.axe()
    assert "number 1 on the waiting list" in page.locator("main").inner_text()


def test_practitioner_hands_the_place_to_a_colleague(browser_page, practitioner, colleague, outsider, soon_session):
    session = soon_session()
    book_place(session, practitioner)
    page = browser_page.page
    sign_in(browser_page, practitioner)
    browser_page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Hand your place to a colleague").click()
    browser_page.axe()
    page.get_by_label("Your colleague's work email").fill(outsider.email)
    page.get_by_role("button", name="Hand over my place").click()
    browser_page.axe()
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Your colleague's work email").fill(colleague.email)
    page.get_by_role("button", name="Hand over my place").click()
    browser_page.axe()
    assert "Tom Walsh" in page.locator("main").inner_text()
    assert Booking.objects.get(person=colleague).status == "confirmed"


def test_practitioner_answers_a_waiting_list_offer_from_the_calendar(browser_page, practitioner, colleague,
                                                                     make_session):
    from datetime import timedelta

    from django.utils import timezone

    from bookings.services import cancel_booking

    now = timezone.now()
    session = make_session(starts_at=now + timedelta(days=2), now=now - timedelta(days=30), capacity=1)
    first = book_place(session, colleague, now=now - timedelta(days=29))
    offered = book_place(session, practitioner, now=now - timedelta(days=29))
    cancel_booking(first, by=colleague, now=now)  # inside the notice period: the place is offered, not booked
    offered.refresh_from_db()
    assert offered.status == "waitlisted" and offered.offer_expires_at > now

    page = browser_page.page
    sign_in(browser_page, practitioner)
    browser_page.goto("/")
    page.get_by_role("link", name=re.compile("accept or decline it by")).click()
    browser_page.axe()
    page.get_by_role("button", name="Accept the place").click()
    browser_page.axe()
    offered.refresh_from_db()
    assert offered.status == "confirmed"
    browser_page.goto("/bookings/")
    assert page.get_by_role("cell", name="Booked").is_visible()


def test_line_manager_approves_a_place_without_an_account(browser_page, halton, practitioner, soon_session):
    from tests.conftest import sent

    halton.requires_line_manager_approval = True
    halton.save()
    session = soon_session()
    page = browser_page.page
    sign_in(browser_page, practitioner)
    browser_page.goto(f"/sessions/{session.pk}/")
    page.get_by_label("Your line manager's work email").fill("boss@halton.gov.uk")
    page.get_by_role("button", name="Book a place").click()
    browser_page.axe()
    booking = Booking.objects.get(person=practitioner)
    assert booking.status == "pending_approval"

    to_manager = [m for m in sent() if m.to == ["boss@halton.gov.uk"]][-1]
    approve = re.search(r"/approvals/\S+/", to_manager.body.split("Decline")[0]).group(0)
    page.context.clear_cookies()  # the manager has no account here
    browser_page.goto(approve)
    assert "Approve Priya Shah's place?" in page.locator("main").inner_text()
    page.get_by_role("button", name="Approve the place").click()
    browser_page.axe()
    assert "Place approved" in page.locator("main").inner_text()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_my_bookings_reflows_on_a_small_phone(browser_page, practitioner, soon_session):
    """WCAG 1.4.10: at 320 CSS pixels nothing scrolls the page sideways; a wide table scrolls in its
    own box, which keyboard users can reach while it scrolls."""
    book_place(soon_session(), practitioner)
    page = browser_page.page
    page.set_viewport_size({"width": 320, "height": 700})
    sign_in(browser_page, practitioner)
    for path in ("/bookings/", "/learning-record/", "/"):
        assert_reflows(browser_page, path)


def assert_reflows(browser_page, path: str) -> None:
    """At the page's current (phone) width: axe passes, the page does not scroll sideways, and each
    table that scrolls in its own box is a named region keyboard users can reach."""
    page = browser_page.page
    browser_page.goto(path)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    boxes = page.evaluate("""() => [...document.querySelectorAll('.hub-table-scroll')].map(
        b => [b.scrollWidth > b.clientWidth, b.tabIndex, b.getAttribute('role')])""")
    assert all(tab == 0 and role == "region" for scrolls, tab, role in boxes if scrolls), (path, boxes)
    assert_choices_whole(browser_page, path)


def assert_choices_whole(browser_page, where: str) -> None:
    """Every radio and checkbox label shows all its words: none runs past its own box, where the page or a
    table's box would cut it off ("Attendec")."""
    cut = browser_page.page.evaluate("""() => [...document.querySelectorAll(
        '.govuk-radios__label, .govuk-checkboxes__label')].filter(l => l.getClientRects().length
        && l.scrollWidth > l.clientWidth + 1).map(l => [l.htmlFor, l.innerText, l.clientWidth, l.scrollWidth])""")
    assert not cut, (where, cut)
