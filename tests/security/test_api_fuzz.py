"""schemathesis against /api/schema/, signed in as a practitioner and as the business unit:
no 5xx, and every response with a documented status matches the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from bench.harness import session_token
from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

CHECKS = (not_a_server_error, response_schema_conformance, content_type_conformance)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The app runs in this thread: like Django's test client, keep the test's connection open."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def data(practitioner, business_unit, session):
    from bookings.models import Booking

    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    return {"practitioner": session_token(practitioner), "business_unit": session_token(business_unit)}


@pytest.mark.postgres  # once per CI run is enough: it runs in the PostgreSQL pass
@pytest.mark.parametrize("who", ["practitioner", "business_unit"])
@schema.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case, data, who):
    response = case.call(headers={"X-Session-Token": data[who]})
    case.validate_response(response, checks=CHECKS)
