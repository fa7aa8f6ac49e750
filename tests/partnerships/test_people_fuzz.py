"""The forms and API operations of people on a network, fuzzed as tests/security/test_fuzz.py fuzzes the rest:
any text (control characters, lone surrogates, huge strings), no 5xx, and a refusal saves nothing."""

import pytest
from django.test import Client

from people import roles
from people.models import Partnership, Person
from people.partnerships import default_partnership
from people.services import grant_role, join_partnership
from tests.security.test_fuzz import Forms, _fuzz_form, _fuzz_operation, _operations


@pytest.fixture
def network(db, business_unit, make_person, halton, police):
    default_partnership()
    warrington = Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    join_partnership(police, warrington)
    grant_role(business_unit, roles.BUSINESS_UNIT, partnership=warrington)
    officer = make_person("olly@cheshire.police.uk", police, roles.PRACTITIONER)
    root = Person.objects.create_superuser("root@halton.gov.uk", "pw", name="Root", agency=halton)
    return {"business_unit": business_unit, "officer": officer, "root": root, None: None}


PAGES = [("officer", "/account/home-partnership/"), (None, "/accounts/signup/"),
         ("business_unit", "/manage/people/person/{officer}/change/"),
         ("business_unit", "/manage/people/agency/{police}/change/"),
         ("business_unit", "/manage/people/partnership/{halton}/change/"),
         ("root", "/manage/people/partnership/add/")]


@pytest.mark.parametrize(("who", "page"), PAGES, ids=[f"{who}:{page}" for who, page in PAGES])
def test_every_people_form_on_a_network_survives_any_text(network, police, who, page):
    client = Client()
    if who:
        client.force_login(network[who])
    url = page.format(officer=network["officer"].pk, police=police.pk, halton=default_partnership().pk)
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Forms()
    parser.feed(response.content.decode())
    forms = [f for f in parser.forms if "logout" not in f["action"]]
    assert forms, f"no form on {url}"
    for form in forms:
        _fuzz_form(client, form, form["action"] or url)


def test_the_agencies_api_on_a_network_survives_any_json(network):
    client = Client()
    client.force_login(network["business_unit"])
    for method, path, fields in _operations():
        if path == "/api/v1/agencies/":
            _fuzz_operation(client, method, path, fields)


@pytest.mark.parametrize("who", ["officer", "business_unit"])
def test_the_read_operations_answer_on_a_network(network, who):
    client = Client()
    client.force_login(network[who])
    for path in ("/api/v1/me/", "/api/v1/partnerships/", "/api/v1/agencies/", "/api/v1/partnerships/?page=99",
                 "/api/v1/partnerships/?page_size=\x00", "/api/v1/agencies/?page=%ED%A0%80"):
        assert client.get(path).status_code in (200, 400, 404), path
