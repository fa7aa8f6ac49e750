"""Every page of the service, as each role sees it, on the demo partnership's data: axe-core (WCAG 2.2 AA)
at desktop width and at 320 px (WCAG 1.4.10 reflow), and each create form's error state.

The journeys elsewhere check the pages people pass through while doing something; this sweep makes sure
no page is left to a check by hand, the business unit's admin (`/manage/`) included.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services.approval import approval_token
from certificates.models import Certificate
from charging.models import Charge
from courses.models import Course, Session
from demo.data import load_demo
from demo.partnership import DEMO_PASSWORD
from people.models import Partnership, Person
from resources.models import Resource
from resources.services import unsubscribe_token, write_briefing
from reviews.models import LearningReview, Recommendation
from tests.browser.test_booking_journeys import assert_reflows, sign_in

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1100, "height": 900}, {"width": 320, "height": 700}


def _demo():
    """The demo partnership, plus the few states it does not reach by itself: an open offer of a place,
    a place waiting for a line manager, and a briefing sent."""
    now = timezone.now()
    load_demo(sessions_wanted=8)
    people = {p.email: p for p in Person.objects.all()}
    me = people["practitioner@halton.gov.uk"]
    mine = Booking.objects.filter(person=me).select_related("session").order_by("session__starts_at")
    coming = [b for b in mine if b.session.starts_at > now]
    attended = [b for b in mine if b.status == Booking.Status.ATTENDED]
    offered = Booking.objects.filter(person=people["colleague@halton.gov.uk"], session=coming[0].session).first()
    if offered is None:
        offered = Booking.objects.create(session=coming[0].session, person=people["colleague@halton.gov.uk"],
                                         status=Booking.Status.WAITLISTED, booked_at=now, waitlisted_at=now)
    Booking.objects.filter(pk=offered.pk).update(offer_expires_at=now + timedelta(days=1))
    pending = Booking.objects.create(session=coming[-1].session, person=people["nurse@bridgewater.nhs.uk"],
                                     status=Booking.Status.PENDING_APPROVAL, booked_at=now,
                                     line_manager_email="manager@bridgewater.nhs.uk")
    business = people["business@halton.gov.uk"]
    briefing = write_briefing(title="Lunchtime learning in December", body="Three short online sessions.",
                              sessions=[coming[-1].session], by=business)
    return {
        "people": people, "coming": coming, "attended": attended, "offered": offered, "pending": pending,
        "briefing": briefing, "session": coming[0].session,
        "past": Session.objects.filter(starts_at__lt=now).order_by("-starts_at").first(),
    }


def _pages(d) -> dict[str, list[str]]:
    session, past = d["session"], d["past"]
    certificate = Certificate.objects.filter(booking__person=d["people"]["practitioner@halton.gov.uk"]).first()
    unevaluated = next(b for b in d["attended"] if not hasattr(b, "evaluation"))
    evaluated = next(b for b in d["attended"] if hasattr(b, "evaluation"))
    course = Course.objects.order_by("pk").first()
    review = LearningReview.objects.order_by("pk").first()
    rec = Recommendation.objects.filter(owner_agencies__code="bridgewater").order_by("pk").first()
    return {
        "": [
            "/", "/calendar/", f"/courses/{course.pk}/", f"/sessions/{session.pk}/",
            f"/certificates/verify/{certificate.code}/", "/accounts/signup/", "/accounts/password/reset/",
            reverse("approval", args=[approval_token(d["pending"], "approve")]),
            reverse("briefing_unsubscribe", args=[unsubscribe_token(d["people"]["nurse@bridgewater.nhs.uk"])]),
            f"/briefings/{d['briefing'].pk}/", "/accessibility/", "/privacy/", "/cookies/",
            f"/p/{Partnership.objects.order_by('pk').first().slug}/",
        ],
        "practitioner@halton.gov.uk": [
            "/bookings/", f"/bookings/{d['coming'][0].pk}/cancel/", f"/bookings/{d['coming'][0].pk}/hand-over/",
            f"/bookings/{unevaluated.pk}/evaluation/", f"/bookings/{evaluated.pk}/follow-up/",
            "/learning-record/", "/account/", f"/sessions/{session.pk}/",
        ],
        "colleague@halton.gov.uk": [f"/bookings/{d['offered'].pk}/offer/"],
        "trainer@cheshire.police.uk": ["/teaching/", f"/sessions/{past.pk}/register/"],
        "finance@halton.gov.uk": [
            "/charges/", f"/charges/{Charge.objects.order_by('pk').first().pk}/", "/charging-policy/",
        ],
        "manager@bridgewater.nhs.uk": ["/agency/", "/agency/completions/", "/agency/bookings/", "/charges/",
                                       "/learning/", f"/learning/recommendations/{rec.pk}/"],
        "business@halton.gov.uk": [
            "/programme/", "/sessions/new/", f"/sessions/{session.pk}/change/", f"/sessions/{session.pk}/cancel/",
            f"/sessions/{session.pk}/bookings/", "/resources/", "/resources/new/",
            f"/resources/{Resource.objects.order_by('pk').first().pk}/", "/reports/resources/", "/briefings/",
            "/briefings/new/", "/reports/evaluations/", "/reports/", "/reports/annual/?year=2024",
            "/reports/exchange/",
            "/charging-policy/", "/learning/", "/learning/themes/?from=2024-04-01&to=2025-03-31",
            "/learning/reviews/new/", f"/learning/reviews/{review.pk}/", f"/learning/reviews/{review.pk}/change/",
            f"/learning/reviews/{review.pk}/recommendations/new/", f"/learning/recommendations/{rec.pk}/",
            f"/learning/recommendations/{rec.pk}/change/",
            *_admin_pages(d["people"]["business@halton.gov.uk"]),
        ],
    }


def _admin_pages(person) -> list[str]:
    """The admin pages this person may open: each model's list, its add form, and one object's form."""
    request = RequestFactory().get("/manage/")
    request.user = person
    paths = ["/manage/"]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            paths.append(reverse(f"{name}_add"))
        first = model.objects.order_by("pk").first()
        if first is not None:
            paths.append(reverse(f"{name}_change", args=[first.pk]))
    return paths


# Create forms sent empty: the error summary and the fields' messages must pass axe too.
EMPTY_FORMS = {
    "business@halton.gov.uk": {
        "/sessions/new/": "Save session", "/resources/new/": "Publish", "/briefings/new/": "Send the briefing",
        "/learning/reviews/new/": "Save the review",
    },
    "practitioner@halton.gov.uk": {"hand-over": "Hand over my place", "evaluation": "Send my evaluation"},
}


@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_at_desktop_and_phone_width(browser_page):
    data = _demo()
    page = browser_page.page
    visited = 0
    for email, paths in _pages(data).items():
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        if email:
            sign_in(browser_page, data["people"][email], password=DEMO_PASSWORD)
        for path in paths:
            page.set_viewport_size(DESKTOP)
            response = page.goto(browser_page.base_url + path)
            assert response.status == 200, (email, path, response.status)
            browser_page.axe()
            page.set_viewport_size(PHONE)
            assert_reflows(browser_page, path)
            visited += 1
        for form, button in EMPTY_FORMS.get(email, {}).items():
            path = form if form.startswith("/") else next(p for p in paths if p.endswith(f"/{form}/"))
            page.set_viewport_size(DESKTOP)
            browser_page.goto(path)
            page.get_by_role("button", name=button).click()
            page.locator(".govuk-error-summary").wait_for()  # the answer, once it has come
            assert page.locator(".govuk-error-summary").count() == 1, (path, page.url)
            browser_page.axe()
    assert visited == sum(len(p) for p in _pages(data).values())
