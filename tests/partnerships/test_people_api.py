"""The API around people on a network: /partnerships/, /me/'s home partnership and role grants, /agencies/'
partnerships. A hub of one answers exactly as before (tests/people/test_people_api.py)."""

import pytest

from people import roles
from people.models import Agency, Partnership
from people.partnerships import default_partnership
from people.selectors import agency_partnerships
from people.services import grant_role, join_partnership


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership",
                                      contact_email="wsp@warrington.gov.uk", website="https://www.wscp.org.uk")


def test_anyone_signed_in_lists_the_partnerships(api_as, practitioner, warrington):
    response = api_as(practitioner).get("/api/v1/partnerships/")
    assert response.status_code == 200
    assert response.json() == {"count": 2, "next": None, "previous": None, "results": [
        {"slug": "halton", "name": default_partnership().name, "contact_email": "", "website": ""},
        {"slug": "warrington", "name": "Warrington Safeguarding Partnership", "contact_email": "wsp@warrington.gov.uk",
         "website": "https://www.wscp.org.uk"},
    ]}


def test_a_hub_of_one_lists_its_one_partnership(api_as, practitioner):
    assert [p["slug"] for p in api_as(practitioner).get("/api/v1/partnerships/").json()["results"]] == ["halton"]


def test_the_partnerships_need_sign_in(api, warrington):
    response = api.get("/api/v1/partnerships/")
    assert response.status_code in (401, 403) and response.json()["detail"]


def test_nobody_changes_partnerships_through_the_api(api_as, business_unit, warrington):
    client = api_as(business_unit)
    assert client.post("/api/v1/partnerships/", {"slug": "wigan", "name": "Wigan"}, format="json").status_code == 405
    assert client.delete("/api/v1/partnerships/warrington/").status_code in (404, 405)
    assert Partnership.objects.count() == 2


def test_me_on_a_network_names_the_home_partnership_and_the_role_grants(api_as, make_person, halton, warrington):
    join_partnership(halton, warrington)
    beth = make_person("beth@halton.gov.uk", halton, roles.BUSINESS_UNIT, roles.TRAINER, roles.AGENCY_MANAGER)
    grant_role(beth, roles.BUSINESS_UNIT, partnership=warrington)
    data = api_as(beth).get("/api/v1/me/").json()
    assert data["roles"] == ["agency_manager", "business_unit", "trainer"]  # unchanged: the role names
    assert data["home_partnership"] == "halton"
    assert data["role_grants"] == [
        {"role": "agency_manager", "partnership": None},
        {"role": "business_unit", "partnership": "halton"},
        {"role": "business_unit", "partnership": "warrington"},
        {"role": "trainer", "partnership": "halton"},
    ]


def test_me_names_a_chosen_home_partnership(api_as, make_person, halton, warrington):
    from people.services import choose_home_partnership

    join_partnership(halton, warrington)
    priya = make_person("priya@halton.gov.uk", halton)
    choose_home_partnership(priya, warrington)
    data = api_as(priya).get("/api/v1/me/").json()
    assert (data["home_partnership"], data["role_grants"]) == ("warrington", [{"role": "practitioner",
                                                                               "partnership": None}])


def test_me_on_a_hub_of_one_has_no_partnership_fields(api_as, practitioner):
    assert set(api_as(practitioner).get("/api/v1/me/").json()) == {"id", "email", "name", "agency", "roles"}


def test_agencies_on_a_network_list_their_partnerships(api_as, practitioner, police, warrington):
    join_partnership(police, warrington)
    Agency.objects.create(code="no-partnership", name="Made before partnerships")
    results = api_as(practitioner).get("/api/v1/agencies/").json()["results"]
    assert {a["code"]: a["partnerships"] for a in results} == {
        "cheshire-police": ["halton", "warrington"], "halton-bc": ["halton"], "no-partnership": ["halton"]}


def test_agencies_list_in_a_flat_number_of_queries(api_as, practitioner, police, warrington,
                                                   django_assert_max_num_queries):
    for n in range(20):
        join_partnership(Agency.objects.create(code=f"a{n}", name=f"Agency {n}"), warrington)
    client = api_as(practitioner)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/agencies/").json()["count"] == 22


def test_the_business_unit_adds_an_agency_to_its_own_partnership(api_as, make_person, halton, warrington):
    wendy = make_person("wendy@warrington.gov.uk", halton, roles.PRACTITIONER)
    grant_role(wendy, roles.BUSINESS_UNIT, partnership=warrington)
    response = api_as(wendy).post("/api/v1/agencies/", {"code": "wvca", "name": "Warrington VCA",
                                                        "kind": "voluntary"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["partnerships"] == ["warrington"]
    assert [p.slug for p in agency_partnerships(Agency.objects.get(code="wvca"))] == ["warrington"]


def test_the_business_unit_names_the_partnerships_of_a_new_agency(api_as, business_unit, warrington):
    grant_role(business_unit, roles.BUSINESS_UNIT, partnership=warrington)
    response = api_as(business_unit).post("/api/v1/agencies/", {
        "code": "nwas", "name": "North West Ambulance Service", "kind": "relevant_agency",
        "partnerships": ["warrington", "halton"]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["partnerships"] == ["halton", "warrington"]


def test_a_new_agency_on_a_hub_of_one_joins_the_one_partnership(api_as, business_unit):
    response = api_as(business_unit).post("/api/v1/agencies/", {"code": "hvca", "name": "Halton VCA",
                                                                "kind": "voluntary"}, format="json")
    assert response.status_code == 201 and "partnerships" not in response.json()
    assert [p.slug for p in Agency.objects.get(code="hvca").partnerships.all()] == ["halton"]


@pytest.mark.parametrize(("partnerships", "status", "words"), [
    (["wigan"], 400, "'wigan' is not a partnership on this hub: choose from halton, warrington"),
    (["halton\x00"], 400, "Null characters are not allowed"),
    (["halton\u0085"], 400, "not a partnership"),
    (["w" * 41], 400, "40 characters"),
    (["halton"] * 101, 400, "100"),
    ([], 400, "empty"),
    ("halton", 400, "list"),
    ([{"slug": "halton"}], 400, ""),
    ([None], 400, ""),
    (["warrington"], 403, "You are not the business unit for Warrington Safeguarding Partnership"),
])
def test_a_new_agency_s_partnerships_are_checked(api_as, business_unit, warrington, partnerships, status, words):
    response = api_as(business_unit).post("/api/v1/agencies/", {
        "code": "new", "name": "New", "kind": "other", "partnerships": partnerships}, format="json")
    assert response.status_code == status, response.json()
    assert words in response.json()["detail"]
    assert not Agency.objects.filter(code="new").exists()


def test_a_lone_surrogate_in_a_partnership_is_refused(api_as, business_unit, warrington):
    response = api_as(business_unit).generic(
        "POST", "/api/v1/agencies/", '{"code": "new", "name": "New", "kind": "other", "partnerships": ["\\ud800"]}',
        content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]
    assert not Agency.objects.filter(code="new").exists()


def test_the_schema_describes_the_additions(api, db):
    schema = api.get("/api/schema/?format=json").json()
    assert "/api/v1/partnerships/" in schema["paths"]
    components = schema["components"]["schemas"]
    assert set(components["Partnership"]["properties"]) == {"slug", "name", "contact_email", "website"}
    assert {"home_partnership", "role_grants"} <= set(components["Me"]["properties"])
    assert "home_partnership" not in components["Me"]["required"]  # a hub of one leaves them out
    assert set(components["RoleGrant"]["properties"]) == {"role", "partnership"}
    assert "partnerships" in components["Agency"]["properties"]


def test_the_api_page_lists_the_partnerships(client, db):
    from config.api_reference import groups

    groups.cache_clear()
    page = client.get("/api/").content.decode()
    assert "/api/v1/partnerships/" in page
