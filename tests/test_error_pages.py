"""Error pages people can act on; JSON with a `detail` under /api/."""

from django.test import Client, RequestFactory

from config.errors import server_error
from config.middleware import DatabaseUnavailableMiddleware


def test_a_missing_page_says_what_to_check_and_keeps_the_navigation(client, practitioner):
    client.force_login(practitioner)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and "check it is correct" in page and "My bookings" in page


def test_api_errors_stay_json(client, api_as, practitioner):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_page_for_another_role_says_who_you_are_and_whom_to_ask(client, practitioner):
    client.force_login(practitioner)
    response = client.get("/charges/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot see this page" in page and "priya@halton.gov.uk" in page and "business unit" in page


def test_an_expired_form_says_nothing_was_saved(practitioner, past_session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    response = client.post(f"/sessions/{past_session.pk}/book/")
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()
    assert not past_session.bookings.exists()


def test_a_crash_shows_a_page_that_needs_no_database():
    response = server_error(RequestFactory().get("/bookings/"))  # no db fixture: a query would fail here
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page and "Halton Children" in page
    api = server_error(RequestFactory().get("/api/v1/bookings/"))
    assert api.status_code == 500 and b'"detail"' in api.content


def test_the_database_page_is_the_service_page_too():
    from django.db import OperationalError

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().get("/"), OperationalError("gone"))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert b"cannot reach its database" in response.content and b"govuk-template" in response.content
