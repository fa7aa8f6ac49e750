"""Every role against every page and API action: who gets past "may this person do this?".

A cell is ALLOWED when the answer is not 401/403/404 and not a bounce to sign-in (a 400 for an
empty body still means the person was let in); DENIED when it is one of those.
"""

import pytest
from django.utils import timezone

from bookings.models import Booking
from courses import services as course_services

ROLES = ["anonymous", "practitioner", "trainer", "finance", "business_unit", "agency_manager"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}

# (method, path template, who may)
MATRIX = [
    ("get", "/", EVERYONE),
    ("get", "/sessions/{session}/", EVERYONE),
    ("get", "/courses/{course}/", EVERYONE),
    ("get", "/calendar/sessions.ics", EVERYONE),
    ("get", "/api/", EVERYONE),  # the API reference
    ("get", "/accessibility/", EVERYONE),
    ("get", "/privacy/", EVERYONE),
    ("get", "/cookies/", EVERYONE),
    ("get", "/certificates/verify/UNKNOWN/", set()),  # 404 for everyone: an unknown code
    ("get", "/bookings/", SIGNED_IN),
    ("get", "/learning-record/", SIGNED_IN),
    ("get", "/resources/", SIGNED_IN),
    ("get", "/programme/", {"business_unit"}),
    ("get", "/sessions/new/", {"business_unit"}),
    ("get", "/sessions/{session}/change/", {"business_unit"}),
    ("get", "/sessions/{session}/bookings/", {"business_unit"}),
    ("get", "/sessions/{session}/bookings/?format=csv", {"business_unit"}),
    ("post", "/sessions/{session}/bookings/", {"business_unit"}),
    ("post", "/sessions/{session}/cancel/", {"business_unit"}),
    ("get", "/manage/", {"business_unit"}),
    ("get", "/sessions/{session}/register/", {"trainer", "business_unit"}),
    ("get", "/sessions/{session}/register/sign-in-sheet.pdf", {"trainer", "business_unit"}),
    ("get", "/teaching/", SIGNED_IN),
    ("get", "/charges/", {"finance", "business_unit", "agency_manager"}),
    ("post", "/charges/approve/", {"finance"}),
    ("post", "/charges/invoice/", {"finance"}),
    ("get", "/charging-policy/", {"finance", "business_unit"}),  # finance reads the policy it applies
    ("post", "/charging-policy/", {"business_unit"}),
    ("get", "/reports/", {"finance", "business_unit", "agency_manager"}),
    ("get", "/reports/annual/", {"business_unit"}),
    ("get", "/reports/evaluations/", {"business_unit"}),
    ("get", "/reports/resources/", {"business_unit", "agency_manager"}),
    ("get", "/agency/completions/", {"agency_manager"}),
    ("get", "/agency/", {"agency_manager"}),
    ("get", "/agency/bookings/", {"agency_manager"}),
    ("get", "/agency/bookings/?export=csv", {"agency_manager"}),
    ("get", "/briefings/new/", {"business_unit"}),
    ("get", "/resources/new/", {"business_unit"}),
    ("get", "/api/v1/me/", SIGNED_IN),
    ("get", "/api/v1/agencies/", SIGNED_IN),
    ("post", "/api/v1/agencies/", {"business_unit"}),
    ("get", "/api/v1/courses/", EVERYONE),
    ("post", "/api/v1/courses/", {"business_unit"}),
    ("get", "/api/v1/courses/{course}/trainers/", SIGNED_IN),
    ("post", "/api/v1/courses/{course}/trainers/", {"business_unit"}),
    ("get", "/api/v1/sessions/", EVERYONE),
    ("post", "/api/v1/sessions/", {"business_unit"}),
    ("patch", "/api/v1/sessions/{session}/", {"business_unit"}),
    ("post", "/api/v1/sessions/{session}/cancel/", {"business_unit"}),
    ("post", "/api/v1/sessions/{session}/book/", SIGNED_IN),
    ("get", "/api/v1/bookings/", SIGNED_IN),
    ("post", "/api/v1/bookings/{booking}/cancel/", {"practitioner", "business_unit"}),
    ("post", "/api/v1/bookings/{booking}/transfer/", {"practitioner"}),
    ("get", "/api/v1/sessions/{session}/register/", {"trainer", "business_unit"}),
    ("post", "/api/v1/sessions/{session}/register/", {"trainer", "business_unit"}),
    ("post", "/api/v1/sessions/{session}/register/close/", {"trainer", "business_unit"}),
    ("get", "/api/v1/charging-policy/", SIGNED_IN),
    ("patch", "/api/v1/charging-policy/", {"business_unit"}),
    ("get", "/api/v1/charges/", {"finance", "business_unit", "agency_manager"}),  # agency managers: their own
    ("post", "/api/v1/charges/approve/", {"finance"}),
    ("post", "/api/v1/invoices/", {"finance"}),
    ("get", "/api/v1/certificates/", SIGNED_IN),
    ("get", "/api/v1/resources/", SIGNED_IN),
    ("post", "/api/v1/resources/", {"business_unit"}),
    ("get", "/api/v1/reports/resources/", {"business_unit", "agency_manager"}),
    ("get", "/api/v1/reports/attendance/", {"business_unit", "agency_manager"}),
    ("get", "/bookings/{booking}/cancel/", {"practitioner", "business_unit"}),
    ("get", "/bookings/{booking}/hand-over/", {"practitioner"}),
    ("get", "/bookings/{booking}/offer/", {"practitioner"}),
    ("get", "/bookings/{booking}/evaluation/", {"practitioner"}),
    ("post", "/api/v1/bookings/{booking}/evaluation/", {"practitioner"}),
    ("post", "/api/v1/bookings/{booking}/accept-offer/", {"practitioner"}),
    ("post", "/api/v1/bookings/{booking}/decline-offer/", {"practitioner"}),
    ("get", "/account/", SIGNED_IN),
    ("get", "/account/my-data.json", SIGNED_IN),
    ("post", "/bookings/feed/renew/", SIGNED_IN),
    ("post", "/bookings/calendar-invites/", SIGNED_IN),
    ("get", "/resources/{resource}/", SIGNED_IN),
    ("get", "/resources/{resource}/open/", SIGNED_IN),
    ("post", "/api/v1/resources/{resource}/disseminations/", {"business_unit", "agency_manager"}),
    ("get", "/briefings/", EVERYONE),
    ("get", "/charges/{charge}/", {"finance", "business_unit", "agency_manager"}),
    ("post", "/api/v1/charges/{charge}/waive/", {"finance"}),
    ("post", "/api/v1/charges/{charge}/approve/", {"finance"}),
    ("post", "/api/v1/sessions/{session}/register/{booking}/correct/", {"business_unit"}),
]


@pytest.fixture
def world(request, practitioner, trainer, finance, business_unit, agency_manager, course, make_session):
    course_services.add_to_pool(course, trainer)
    start = timezone.now() + timezone.timedelta(days=30)
    session = make_session(starts_at=start.replace(hour=9, minute=30, second=0, microsecond=0),
                           now=timezone.now() - timezone.timedelta(days=1), trainers=[trainer])
    booking = Booking.objects.create(session=session, person=practitioner, status="confirmed")
    from charging.models import Charge
    from resources.services import publish_resource

    charge = Charge.objects.create(booking=booking, agency=practitioner.agency, reason="late_cancellation",
                                   amount_pence=2500)
    resource = publish_resource(title="Section 47 SWAY", theme="s47", kind="sway",
                                url="https://sway.cloud.microsoft/s47", owner_agency=practitioner.agency)
    people = {"practitioner": practitioner, "trainer": trainer, "finance": finance, "business_unit": business_unit,
              "agency_manager": agency_manager}
    return {"session": session.pk, "course": course.pk, "booking": booking.pk, "charge": charge.pk,
            "resource": resource.pk, "people": people}


def _denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "login" in response.get("Location", "")


@pytest.mark.parametrize(("method", "path", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_permission_matrix(client, world, method, path, allowed):
    url = path.format(**world)
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["people"][role])
        call = getattr(client, method)
        response = call(url, data="{}", content_type="application/json") if method in ("post", "patch") else \
            call(url)
        expected_in = role in allowed
        assert _denied(response) != expected_in, (
            f"{role} {'should' if expected_in else 'should not'} get through {method.upper()} {url}: "
            f"{response.status_code}")


def test_every_page_carries_a_content_security_policy(client, db):
    header = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in header and "frame-ancestors 'none'" in header


def test_an_agency_manager_without_an_agency_sees_no_completions(client, agency_manager):
    agency_manager.agency = None
    agency_manager.save()
    client.force_login(agency_manager)
    assert client.get("/agency/completions/").status_code == 403
    assert 'href="/agency/completions/"' not in client.get("/").content.decode()
