"""The menu each role sees: its management pages behind one item, which shows as the section they are in."""

import re


def _menu(page: str) -> list[str]:
    menu = page.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a class="govuk-service-navigation__link" href="[^"]*"[^>]*>([^<]+)</a>', menu)


def test_each_role_has_a_short_menu_with_its_management_pages_behind_one_item(
        client, practitioner, trainer, finance, business_unit, agency_manager):
    expected = {
        practitioner: ["Training calendar", "Resources", "My bookings", "Learning record"],
        trainer: ["Training calendar", "Sessions you deliver", "Resources", "My bookings", "Learning record"],
        finance: ["Training calendar", "Charges", "Analysis", "Resources", "My bookings", "Learning record"],
        business_unit: ["Training calendar", "Run the programme", "My bookings", "Learning record"],
        agency_manager: ["Training calendar", "Your agency", "Resources", "My bookings", "Learning record"],
    }
    for person, items in expected.items():
        client.force_login(person)
        assert _menu(client.get("/").content.decode()) == items, person.email


def test_a_page_behind_a_grouped_item_shows_that_item_as_the_current_section(client, business_unit,
                                                                               agency_manager):
    client.force_login(business_unit)
    page = client.get("/charging-policy/").content.decode()
    assert '<a class="govuk-service-navigation__link" href="/programme/" aria-current="true">Run the programme' in page
    page = client.get("/programme/").content.decode()
    assert '<a class="govuk-service-navigation__link" href="/programme/" aria-current="page">Run the programme' in page
    client.force_login(agency_manager)
    page = client.get("/agency/completions/").content.decode()
    assert '<a class="govuk-service-navigation__link" href="/agency/" aria-current="true">Your agency' in page
    assert 'aria-current="true">Run the programme' not in page
