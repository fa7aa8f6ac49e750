import pytest

from people.models import Agency
from tests.conftest import PASSWORD


def test_app_token_from_headless_login_authenticates_the_api(client, practitioner):
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": practitioner.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    token = response.json()["meta"]["session_token"]
    from rest_framework.test import APIClient

    me = APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert me.status_code == 200
    assert me.json() == {
        "id": practitioner.pk,
        "email": "priya@halton.gov.uk",
        "name": "Priya Shah",
        "agency": {"code": "halton-bc", "name": "Halton Borough Council"},
        "roles": ["practitioner"],
    }


def test_a_bad_token_is_refused(api, db):
    response = api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN="not-a-token")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_me_needs_sign_in(api, db):
    response = api.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_agencies_list_for_anyone_signed_in(api_as, practitioner, police):
    data = api_as(practitioner).get("/api/v1/agencies/").json()
    assert data["results"] == [
        {"code": "cheshire-police", "name": "Cheshire Constabulary", "kind": "statutory_partner", "email_domains": ""},
        {"code": "halton-bc", "name": "Halton Borough Council", "kind": "statutory_partner", "email_domains": ""},
    ]


def test_business_unit_adds_an_agency(api_as, business_unit):
    response = api_as(business_unit).post(
        "/api/v1/agencies/",
        {"code": "halton-vca", "name": "Halton VCA", "kind": "voluntary", "billing_email": "office@haltonvca.example"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Agency.objects.get(code="halton-vca").billing_email == "office@haltonvca.example"


def test_an_agency_lists_its_email_domains_written_any_reasonable_way(api_as, business_unit):
    response = api_as(business_unit).post(
        "/api/v1/agencies/",
        {"code": "probation", "name": "Probation", "kind": "relevant_agency",
         "email_domains": "@Justice.gov.uk, probation.gov.uk"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["email_domains"] == "justice.gov.uk probation.gov.uk"
    assert Agency.objects.get(code="probation").domain_list() == ["justice.gov.uk", "probation.gov.uk"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"code": "halton-bc", "name": "Again", "kind": "voluntary"}, "already exists"),
        ({"code": "new", "name": "New", "kind": "charity"}, "not a valid choice"),
        ({"code": "new", "name": "New", "kind": "other", "email_domains": "halton.gov.uk gmail"},
         "gmail is not a domain"),
        ({"code": "new", "name": "New", "kind": "other", "email_domains": "1.5"}, "1.5 is not a domain"),
        ({"code": "new", "name": "New", "kind": "other", "email_domains": "halton.gov.uk gmail.com"},
         "gmail.com is a free or disposable mail service"),
        ({"code": "new", "name": "New", "kind": "other", "email_domains": "mailinator.com"},
         "mailinator.com is a free or disposable mail service"),
    ],
)
def test_bad_agency_input_is_400(api_as, business_unit, data, words):
    agencies = Agency.objects.count()
    response = api_as(business_unit).post("/api/v1/agencies/", data, format="json")
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert Agency.objects.count() == agencies


def test_practitioner_cannot_add_an_agency(api_as, practitioner):
    response = api_as(practitioner).post(
        "/api/v1/agencies/", {"code": "x", "name": "X", "kind": "other"}, format="json"
    )
    assert response.status_code == 403
    assert not Agency.objects.filter(code="x").exists()


def test_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_the_api_reference_lists_every_operation_from_the_schema(client):
    page = client.get("/api/").content.decode()
    assert "/api/v1/sessions/{id}/book/" in page and "/api/v1/charges/{id}/waive/" in page
    assert 'href="/api/schema/"' in page and 'href="/api/docs/"' in page
    assert page.count("govuk-tag--") > 30  # one method tag per operation
