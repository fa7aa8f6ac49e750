import pytest

from attendance.services import close_register
from charging.models import Charge
from lib.dates import london
from tests.conftest import confirmed

AFTER = london(2030, 3, 14, 17, 0)


@pytest.fixture
def charges(past_session, practitioner, colleague, outsider, trainer):
    confirmed(past_session, practitioner, colleague, outsider)
    close_register(past_session, by=trainer, now=AFTER)
    return list(Charge.objects.order_by("pk"))


def test_anyone_signed_in_reads_the_policy_with_its_defaults(api_as, practitioner):
    data = api_as(practitioner).get("/api/v1/charging-policy/").json()
    assert {k: data[k] for k in ("notice_working_days", "short_session_minutes", "short_session_amount",
                                 "long_session_amount", "currency")} == {
        "notice_working_days": 5, "short_session_minutes": 240, "short_session_amount": 2500,
        "long_session_amount": 5000, "currency": "gbp"}


def test_the_business_unit_changes_the_policy_and_nobody_else(api_as, business_unit, finance, police):
    assert api_as(finance).patch("/api/v1/charging-policy/", {"notice_working_days": 3},
                                 format="json").status_code == 403
    response = api_as(business_unit).patch("/api/v1/charging-policy/",
                                           {"notice_working_days": 3, "exempt_agencies": ["cheshire-police"]},
                                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["notice_working_days"] == 3
    assert response.json()["exempt_agencies"] == ["cheshire-police"]


@pytest.mark.parametrize("body", [{"short_session_amount": -1}, {"short_session_amount": 12.5},
                                  {"notice_working_days": "soon"}])
def test_bad_amounts_are_400(api_as, business_unit, body):
    response = api_as(business_unit).patch("/api/v1/charging-policy/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_finance_sees_all_charges_and_managers_their_agencys(api_as, charges, finance, agency_manager, practitioner):
    assert api_as(finance).get("/api/v1/charges/").json()["count"] == 3
    mine = api_as(agency_manager).get("/api/v1/charges/").json()
    assert {c["agency"] for c in mine["results"]} == {"halton-bc"} and mine["count"] == 2
    filtered = api_as(finance).get("/api/v1/charges/", {"agency": "cheshire-police", "status": "pending"}).json()
    assert filtered["count"] == 1
    assert filtered["results"][0]["amount"] == 5000 and filtered["results"][0]["reason"] == "no_show"


@pytest.mark.parametrize("persona", ["practitioner", "trainer"])
def test_anyone_but_finance_the_business_unit_and_agency_managers_is_refused_the_charges(api_as, charges, persona,
                                                                                         request):
    client = api_as(request.getfixturevalue(persona))
    listed = client.get("/api/v1/charges/")
    assert listed.status_code == 403 and "finance" in listed.json()["detail"]
    assert client.get(f"/api/v1/charges/{charges[0].pk}/").status_code == 403


def test_the_business_unit_reads_every_charge(api_as, charges, business_unit):
    assert api_as(business_unit).get("/api/v1/charges/").json()["count"] == 3


def test_finance_waives_and_approves_through_the_api(api_as, charges, finance):
    client = api_as(finance)
    first, second, third = charges
    response = client.post(f"/api/v1/charges/{first.pk}/waive/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["detail"]
    response = client.post(f"/api/v1/charges/{first.pk}/waive/", {"reason": "Sickness"}, format="json")
    assert response.status_code == 400 and "written request" in response.json()["detail"]
    first.refresh_from_db()
    assert first.status == "pending"
    sick = client.post(f"/api/v1/charges/{first.pk}/waive/", {"reason": "Sickness", "detail": "Line manager, 3 March"},
                       format="json")
    assert sick.status_code == 200 and sick.json()["status"] == "waived"
    assert first.decisions.get(action="waived").reason == "Sickness: Line manager, 3 March"
    assert client.post(f"/api/v1/charges/{first.pk}/approve/").status_code == 409
    response = client.post("/api/v1/charges/approve/", {"charges": [second.pk, third.pk]}, format="json")
    assert response.status_code == 200
    assert {c["status"] for c in response.json()} == {"approved"}


@pytest.mark.parametrize("persona", ["practitioner", "trainer", "business_unit", "agency_manager"])
def test_only_finance_decides_and_invoices(api_as, charges, persona, request):
    client = api_as(request.getfixturevalue(persona))
    charge = charges[0]
    assert client.post(f"/api/v1/charges/{charge.pk}/approve/").status_code in (403, 404)
    assert client.post(f"/api/v1/charges/{charge.pk}/waive/", {"reason": "x"}, format="json").status_code in (403, 404)
    assert client.post("/api/v1/invoices/", {"agency": "halton-bc"}, format="json").status_code == 403
    charge.refresh_from_db()
    assert charge.status == "pending"


def test_invoicing_an_agency_with_nothing_approved_is_409(api_as, charges, finance):
    response = api_as(finance).post("/api/v1/invoices/", {"agency": "halton-bc"}, format="json")
    assert response.status_code == 409
    assert "no approved charges" in response.json()["detail"]


def test_invoicing_through_the_api(api_as, stripe_on, charges, finance):
    client = api_as(finance)
    client.post("/api/v1/charges/approve/", {"charges": [c.pk for c in charges]}, format="json")
    response = client.post("/api/v1/invoices/", {"agency": "halton-bc"}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["total"] == 10000 and data["status"] == "open" and len(data["charges"]) == 2
