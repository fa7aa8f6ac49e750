"""A home partnership per person: sign-up asks for it only when the agency works with several partnerships,
and the account page changes it among the agency's."""

import re

import pytest

from people import roles
from people.models import Agency, Partnership, Person
from people.partnerships import default_partnership, home_partnership_id
from people.services import join_partnership
from tests.conftest import PASSWORD


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")


@pytest.fixture
def network_police(police, warrington):
    """Cheshire Constabulary serves Halton and Warrington."""
    join_partnership(police, warrington)
    return police


def sign_up(client, agency, **overrides):
    data = {"name": "Olly Jones", "email": "olly@cheshire.police.uk", "agency": agency.code,
            "job_title": "Police officer", "password1": PASSWORD, "password2": PASSWORD} | overrides
    return client.post("/accounts/signup/", data)


def _radios(page: str) -> list[tuple[str, str]]:
    """The home partnership radios: (value, its label's words)."""
    found = []
    for radio_id, value in re.findall(r'<input class="govuk-radios__input" id="([^"]+)" name="home_partnership" '
                                      r'type="radio" value="([^"]*)"', page):
        label = re.search(rf'<label class="govuk-label govuk-radios__label" for="{radio_id}">([^<]*)</label>', page)
        found.append((value, label.group(1).strip()))
    return found


def test_a_hub_of_one_asks_no_home_partnership(client, halton):
    page = client.get("/accounts/signup/").content.decode()
    assert "home_partnership" not in page and "data-partnerships" not in page
    response = sign_up(client, halton, email="priya@halton.gov.uk")
    assert response.status_code == 302
    assert Person.objects.get(email="priya@halton.gov.uk").home_partnership is None


def test_an_agency_in_one_partnership_asks_nothing(client, halton, warrington):
    response = sign_up(client, halton, email="priya@halton.gov.uk")
    assert response.status_code == 302
    assert home_partnership_id(Person.objects.get(email="priya@halton.gov.uk")) == default_partnership().pk


def test_an_agency_only_in_another_partnership_makes_it_home(client, warrington):
    wbc = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council")
    wbc.partnerships.add(warrington)
    assert sign_up(client, wbc, email="wendy@warrington.gov.uk").status_code == 302
    assert Person.objects.get(email="wendy@warrington.gov.uk").home_partnership == warrington


def test_an_agency_in_several_partnerships_asks_which_is_home(client, network_police, warrington):
    page = client.get("/accounts/signup/").content.decode()
    assert 'data-partnerships="halton warrington"' in page
    response = sign_up(client, network_police)
    assert response.status_code == 200 and not Person.objects.exists()
    page = response.content.decode()
    assert "Select your home partnership: Cheshire Constabulary works with more than one partnership" in page
    assert _radios(page) == [("halton", default_partnership().name), ("warrington", warrington.name)]
    assert 'class="govuk-form-group govuk-form-group--error"' in page
    assert '<a href="#id_home_partnership_0">Select your home partnership' in page  # the error summary's link
    assert 'id="id_home_partnership_0"' in page
    # the question comes straight after the agency
    assert page.index('name="agency"') < page.index('name="home_partnership"') < page.index('name="job_title"')
    response = sign_up(client, network_police, home_partnership="warrington")
    assert response.status_code == 302
    assert Person.objects.get(email="olly@cheshire.police.uk").home_partnership == warrington


def test_the_question_offers_only_the_agency_s_partnerships(client, network_police, warrington):
    Partnership.objects.create(slug="cheshire-east", name="Cheshire East")
    page = sign_up(client, network_police).content.decode()
    assert [value for value, _ in _radios(page)] == ["halton", "warrington"]


@pytest.mark.parametrize(("home", "words"), [
    ("wigan", "Select your home partnership from the list"),
    ("warrington\u0085", "Select your home partnership from the list"),
    ("x" * 10_000, "Select your home partnership from the list"),
    ("cheshire-east", "Cheshire Constabulary does not work with Cheshire East: choose"),
])
def test_a_home_partnership_the_agency_is_not_in_is_refused(client, network_police, home, words):
    Partnership.objects.create(slug="cheshire-east", name="Cheshire East")
    response = sign_up(client, network_police, home_partnership=home)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Person.objects.exists()


def test_a_nul_in_the_home_partnership_is_refused(client, network_police):
    assert sign_up(client, network_police, home_partnership="warrington\x00").status_code == 400
    assert not Person.objects.exists()


def test_an_agency_in_one_partnership_refuses_another_home(client, halton, warrington):
    response = sign_up(client, halton, email="priya@halton.gov.uk", home_partnership="warrington")
    assert response.status_code == 200
    assert "Halton Borough Council does not work with Warrington Safeguarding Partnership" in response.content.decode()
    assert not Person.objects.exists()


def sign_up_by_app(client, **overrides):
    body = {"email": "olly@cheshire.police.uk", "password": PASSWORD, "name": "Olly Jones",
            "agency": "cheshire-police", "job_title": "Police officer"} | overrides
    return client.post("/_allauth/app/v1/auth/signup", body, content_type="application/json")


def test_an_app_names_the_home_partnership_when_the_agency_has_several(client, network_police, warrington):
    response = sign_up_by_app(client)
    assert response.status_code == 400
    assert any(e["param"] == "home_partnership" and "Select your home partnership" in e["message"]
               for e in response.json()["errors"])
    response = sign_up_by_app(client, home_partnership="warrington")
    assert response.status_code == 401  # signed up, the email still to verify
    assert Person.objects.get().home_partnership == warrington


# The account page


@pytest.fixture
def officer(make_person, network_police):
    return make_person("olly@cheshire.police.uk", network_police, roles.PRACTITIONER, name="Olly Jones")


def test_a_hub_of_one_s_account_page_shows_no_partnership(client, practitioner):
    client.force_login(practitioner)
    page = client.get("/account/").content.decode()
    assert "Home partnership" not in page and "home-partnership" not in page
    assert client.get("/account/home-partnership/").status_code == 404


def test_the_account_page_shows_the_home_partnership_and_a_way_to_change_it(client, officer, warrington):
    client.force_login(officer)
    page = client.get("/account/").content.decode()
    assert "Home partnership" in page and default_partnership().name in page
    assert 'href="/account/home-partnership/"' in page
    form = client.get("/account/home-partnership/").content.decode()
    assert _radios(form) == [("halton", default_partnership().name), ("warrington", warrington.name)]
    assert 'value="halton" checked' in form
    response = client.post("/account/home-partnership/", {"home_partnership": "warrington"})
    assert response.status_code == 302 and response.url == "/account/"
    officer.refresh_from_db()
    assert officer.home_partnership == warrington
    page = client.get("/account/").content.decode()
    assert "Your home partnership is now Warrington Safeguarding Partnership" in page


def test_someone_whose_agency_has_one_partnership_is_offered_no_change(client, make_person, halton, warrington):
    priya = make_person("priya@halton.gov.uk", halton)
    client.force_login(priya)
    page = client.get("/account/").content.decode()
    assert "Home partnership" in page and "/account/home-partnership/" not in page
    assert client.get("/account/home-partnership/").status_code == 404


@pytest.mark.parametrize(("home", "words"), [
    ("", "Select your home partnership"),
    ("wigan", "Select your home partnership from the list"),
    ("y" * 100_000, "Select your home partnership from the list"),
    ("cheshire-east", "Select your home partnership from the list"),
])
def test_the_account_page_refuses_a_home_partnership_the_agency_is_not_in(client, officer, home, words):
    Partnership.objects.create(slug="cheshire-east", name="Cheshire East")
    client.force_login(officer)
    response = client.post("/account/home-partnership/", {"home_partnership": home})
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page and "There is a problem" in page
    officer.refresh_from_db()
    assert officer.home_partnership is None


def test_the_home_partnership_page_needs_sign_in(client, warrington):
    response = client.get("/account/home-partnership/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_service_refuses_a_home_the_agency_is_not_in(officer, warrington):
    from lib.errors import Invalid
    from people.services import choose_home_partnership

    east = Partnership.objects.create(slug="cheshire-east", name="Cheshire East")
    with pytest.raises(Invalid, match="Cheshire Constabulary does not work with Cheshire East: choose "
                                      ".* or Warrington Safeguarding Partnership"):
        choose_home_partnership(officer, east)
    choose_home_partnership(officer, warrington)
    officer.refresh_from_db()
    assert officer.home_partnership == warrington


def test_a_person_s_own_data_names_their_home_partnership_and_grants_on_a_network(client, officer, warrington):
    from people.services import choose_home_partnership, grant_role

    choose_home_partnership(officer, warrington)
    grant_role(officer, roles.TRAINER, partnership=warrington)
    client.force_login(officer)
    data = client.get("/account/my-data.json").json()["person"]
    assert data["home_partnership"] == "Warrington Safeguarding Partnership"
    assert data["role_grants"] == [{"role": "practitioner", "partnership": None},
                                   {"role": "trainer", "partnership": "warrington"}]


def test_a_hub_of_one_s_own_data_is_as_before(client, practitioner):
    client.force_login(practitioner)
    assert "home_partnership" not in client.get("/account/my-data.json").json()["person"]
