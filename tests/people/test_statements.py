"""The accessibility statement, the privacy notice and the cookies page: public, linked from every page,
and true to what the service does."""

import re

import pytest

from tests.conftest import PASSWORD

PAGES = {"/accessibility/": "Accessibility statement", "/privacy/": "Privacy notice", "/cookies/": "Cookies"}


@pytest.mark.django_db
def test_each_statement_is_public_and_in_every_pages_footer(client):
    footer = client.get("/").content.decode().split('<footer', 1)[1]
    for path, title in PAGES.items():
        assert f'href="{path}"' in footer
        response = client.get(path)
        assert response.status_code == 200
        assert f"<h1 class=\"govuk-heading-xl\">{title}" in response.content.decode()


@pytest.mark.django_db
def test_the_statements_give_the_partnerships_contact_and_retention(client, settings):
    settings.CONTACT_EMAIL = "training@partnership.example"
    settings.RETENTION_YEARS = 4
    for path in PAGES:
        if path != "/cookies/":
            assert "mailto:training@partnership.example" in client.get(path).content.decode()
    assert "for 4 years after you last use it" in client.get("/privacy/").content.decode()


def test_the_cookies_page_names_every_cookie_the_service_sets(client, practitioner, soon_session):
    set_by_service = set()

    def note(response):
        set_by_service.update(response.cookies.keys())
        return response

    session = soon_session()
    note(client.get("/accounts/login/"))
    note(client.post("/accounts/login/", {"login": practitioner.email, "password": PASSWORD}))
    note(client.post(f"/sessions/{session.pk}/book/"))
    note(client.get(f"/sessions/{session.pk}/"))
    booking = session.bookings.get()
    note(client.post(f"/bookings/{booking.pk}/cancel/"))  # leaves a one-off message for the next page
    note(client.get("/bookings/"))
    assert {"sessionid", "csrftoken", "messages"} <= set_by_service
    table = client.get("/cookies/").content.decode().split("<tbody", 1)[1]
    named = set(re.findall(r'<tr class="govuk-table__row"><td class="govuk-table__cell">([^<]+)</td>', table))
    assert set_by_service <= named, set_by_service - named
