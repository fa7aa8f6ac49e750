"""Django's admin (/manage/) dressed as the same service: the partnership's name, a way back to the business
unit's pages, the hub's sign-out, and no dark theme of its own."""

import pytest


@pytest.mark.parametrize("path", ["/manage/", "/manage/courses/session/"])
def test_the_data_manager_names_the_partnership_and_links_back_to_run_the_programme(client, business_unit,
                                                                                      settings, path):
    settings.PARTNERSHIP_NAME = "Somewhere Safeguarding Partnership"
    client.force_login(business_unit)
    page = client.get(path).content.decode()
    assert '<p class="hub-admin-partnership">Somewhere Safeguarding Partnership</p>' in page
    assert '<a href="/programme/">Run the programme</a>' in page
    assert 'action="/accounts/logout/"' in page and ">Sign out</button>" in page
    assert "admin-hub/admin.css" in page and 'href="/favicon.ico"' in page
    assert "dark_mode.css" not in page and "theme-toggle" not in page
    assert "Django administration" not in page and "Log out" not in page
