"""The files browsers fetch from the site's root on their own: no page's visit logs a 404 for them."""

import pytest


@pytest.mark.parametrize("path, kind", [
    ("/favicon.ico", "image/"), ("/favicon.svg", "image/svg+xml"), ("/apple-touch-icon.png", "image/png"),
])
def test_the_icons_browsers_ask_for_are_served(client, path, kind):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)
    assert b"".join(response.streaming_content)


@pytest.mark.django_db
def test_every_page_names_its_icon(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in page
