"""Charging on a network: the delivering partnership's policy, finance, invoices and business unit."""

import pytest

from bookings.models import Booking
from bookings.services import book_place, cancel_booking
from charging.models import Charge, Invoice, PolicyChange
from charging.selectors import charge_for, current_policy
from charging.services import approve_charge, change_policy, invoice_agency
from courses.models import Session
from lib.dates import london
from people import roles
from people.services import grant_role
from tests.charging.network import build_network

IN_FEBRUARY = london(2030, 2, 3, 10, 0)


@pytest.fixture
def net(make_person, make_course, make_session, past_session, course, trainer, practitioner, halton, police, finance,
        business_unit):
    return build_network(make_person=make_person, make_course=make_course, make_session=make_session,
                         past_session=past_session, course=course, trainer=trainer, practitioner=practitioner,
                         halton=halton, police=police, finance=finance, business_unit=business_unit)


def stripe_invoice(base, invoice_id):
    import stripe

    client = stripe.StripeClient("sk_test_training_hub", base_addresses={"api": base})
    return client.v1.invoices.retrieve(invoice_id).to_dict()


# --- The delivering partnership's policy -------------------------------------------------------------------------


def test_each_charge_belongs_to_the_partnership_that_delivered_the_session(net):
    assert sorted(net.charges) == [
        ("halton", "pat@cheshire.police.uk"), ("halton", "priya@halton.gov.uk"),
        ("warrington", "pat@cheshire.police.uk"), ("warrington", "wes@warrington.gov.uk")]
    # The officer's home is Warrington, yet Halton raised the charge for Halton's session: the agency owes it.
    assert net.charges["halton", "pat@cheshire.police.uk"].agency.code == "cheshire-police"


def test_a_no_show_is_priced_and_exempted_by_the_delivering_partnerships_policy(net, make_session, trainer, police,
                                                                                halton, practitioner, business_unit):
    from attendance.services import close_register
    from tests.conftest import confirmed

    change_policy(by=net.w_business_unit, partnership=net.warrington, long_session_amount=7000,
                  exempt_agencies=[police])
    assert current_policy(net.halton).long_session_amount == 5000  # Halton's own is untouched
    later = make_session(course_=net.w_course, starts_at=london(2030, 3, 21, 9, 30))
    confirmed(later, net.pat, practitioner)
    close_register(later, by=trainer, now=london(2030, 3, 21, 17, 0))
    raised = {c.booking.person.email: c for c in Charge.objects.filter(booking__session=later)}
    assert set(raised) == {"priya@halton.gov.uk"}  # Warrington exempts the police; Priya's Halton agency pays
    assert raised["priya@halton.gov.uk"].amount_pence == 7000 and raised["priya@halton.gov.uk"].partnership == \
        net.warrington
    # What pages warn of follows the same policy.
    assert charge_for(police, later) is None and charge_for(police, net.h_session) == 5000
    assert charge_for(halton, later) == 7000


def test_the_notice_period_is_the_delivering_partnerships(net, make_session, practitioner):
    change_policy(by=net.w_business_unit, partnership=net.warrington, notice_working_days=0)
    start = london(2030, 2, 6, 9, 30)  # a Wednesday; cancelling on the Monday before
    h_later = make_session(starts_at=start)
    w_later = make_session(course_=net.w_course, starts_at=start)
    monday = london(2030, 2, 4, 10, 0)
    on_halton = book_place(h_later, practitioner, now=london(2030, 1, 7, 9, 0))
    on_warrington = book_place(w_later, net.pat, now=london(2030, 1, 7, 9, 0))
    assert cancel_booking(on_halton, by=practitioner, now=monday).status == Booking.Status.LATE_CANCELLED
    assert cancel_booking(on_warrington, by=net.pat, now=monday).status == Booking.Status.CANCELLED


def test_the_repeat_no_show_rule_is_the_delivering_partnerships(net, make_session, make_person, police):
    make_person("mo@cheshire.police.uk", police, roles.AGENCY_MANAGER, name="Mo Manager")
    # Pat missed both sessions: two no-shows in the window.
    change_policy(by=net.w_business_unit, partnership=net.warrington, repeat_no_shows=0)  # Warrington: never
    start = london(2030, 4, 10, 9, 30)
    h_later = make_session(starts_at=start)
    w_later = make_session(course_=net.w_course, starts_at=start)
    Session.objects.filter(pk=h_later.pk).update(open_to=Session.OpenTo.NETWORK)  # Pat's home is Warrington
    h_later.refresh_from_db()
    assert book_place(h_later, net.pat, now=IN_FEBRUARY).status == Booking.Status.PENDING_APPROVAL
    assert book_place(w_later, net.pat, now=IN_FEBRUARY).status == Booking.Status.CONFIRMED


def test_each_partnership_keeps_its_own_policy_history(net):
    change_policy(by=net.w_business_unit, partnership=net.warrington, notice_working_days=3)
    change_policy(by=net.h_business_unit, notice_working_days=4)
    assert PolicyChange.objects.get(partnership=net.warrington).changes == {"notice_working_days": [5, 3]}
    assert PolicyChange.objects.get(partnership=net.halton).changes == {"notice_working_days": [5, 4]}


# --- Invoices per (partnership, agency) ----------------------------------------------------------------------------


def test_invoices_are_per_partnership_and_agency_and_name_the_partnership(stripe_on, net, police):
    for key in (("halton", "pat@cheshire.police.uk"), ("warrington", "pat@cheshire.police.uk")):
        approve_charge(net.charges[key], by=net.h_finance if key[0] == "halton" else net.w_finance)
    w_invoice = invoice_agency(police, partnership=net.warrington, by=net.w_finance)
    assert w_invoice.status == "open" and w_invoice.partnership == net.warrington
    assert list(w_invoice.charges.all()) == [net.charges["warrington", "pat@cheshire.police.uk"]]
    remote = stripe_invoice(stripe_on, w_invoice.stripe_invoice_id)
    assert remote["metadata"]["partnership"] == "warrington"
    assert remote["metadata"]["partnership_name"] == "Warrington Safeguarding Partnership"
    assert "delivered by Warrington Safeguarding Partnership" in remote["description"]
    assert remote["custom_fields"] == [{"name": "Partnership", "value": "Warrington Safeguarding Partnership"}]
    assert "Raised by Warrington Safeguarding Partnership" in remote["footer"]
    assert "training@warrington.gov.uk" in remote["footer"]
    assert remote["total"] == 5000
    # Halton's charge to the same agency waits for Halton's own invoice.
    assert Charge.objects.get(pk=net.charges["halton", "pat@cheshire.police.uk"].pk).status == "approved"
    h_invoice = invoice_agency(police, partnership=net.halton, by=net.h_finance)
    assert stripe_invoice(stripe_on, h_invoice.stripe_invoice_id)["metadata"]["partnership"] == "halton"
    assert Invoice.objects.filter(agency=police).count() == 2


def test_a_hub_of_one_puts_its_partnership_in_the_metadata_only(stripe_on, past_session, practitioner, trainer,
                                                                finance, halton):
    from attendance.services import close_register
    from tests.conftest import confirmed

    confirmed(past_session, practitioner)
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))
    approve_charge(Charge.objects.get(), by=finance)
    remote = stripe_invoice(stripe_on, invoice_agency(halton, by=finance).stripe_invoice_id)
    assert remote["metadata"]["partnership"] == "halton"
    assert remote["description"] == ("Multi-agency safeguarding training: no-show and late-cancellation charges for "
                                     "Halton Borough Council")
    assert not remote.get("custom_fields") and not remote.get("footer")


# --- The API -------------------------------------------------------------------------------------------------------


def test_each_finance_lists_the_charges_its_partnership_raised(api_as, net):
    listed = api_as(net.w_finance).get("/api/v1/charges/").json()
    assert {(c["partnership"], c["person"]) for c in listed["results"]} == {
        ("warrington", "Wesley Wright"), ("warrington", "Pat Constable")}
    assert api_as(net.h_finance).get("/api/v1/charges/", {"partnership": "warrington"}).json()["count"] == 0
    assert api_as(net.h_business_unit).get("/api/v1/charges/").json()["count"] == 2
    response = api_as(net.h_finance).get("/api/v1/charges/", {"partnership": "nowhere"})
    assert response.status_code == 400 and "halton, warrington" in response.json()["detail"]


def test_an_agency_manager_sees_the_agencys_charges_wherever_they_were_raised(api_as, net, make_person, police):
    manager = make_person("mo@cheshire.police.uk", police, roles.AGENCY_MANAGER, name="Mo Manager")
    listed = api_as(manager).get("/api/v1/charges/").json()
    assert sorted(c["partnership"] for c in listed["results"]) == ["halton", "warrington"]
    assert {c["agency"] for c in listed["results"]} == {"cheshire-police"}
    only = api_as(manager).get("/api/v1/charges/", {"partnership": "warrington"}).json()
    assert [c["partnership"] for c in only["results"]] == ["warrington"]
    charge = net.charges["warrington", "pat@cheshire.police.uk"]
    assert api_as(manager).post(f"/api/v1/charges/{charge.pk}/approve/").status_code == 403


def test_finance_of_one_partnership_invoices_without_naming_it(api_as, stripe_on, net):
    client = api_as(net.w_finance)
    charge = net.charges["warrington", "wes@warrington.gov.uk"]
    assert client.post(f"/api/v1/charges/{charge.pk}/approve/").status_code == 200
    response = client.post("/api/v1/invoices/", {"agency": "warrington-bc"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["partnership"] == "warrington" and response.json()["charges"] == [charge.pk]


def test_finance_of_several_partnerships_says_which_invoices(api_as, stripe_on, net):
    grant_role(net.w_finance, roles.FINANCE, partnership=net.halton)
    client = api_as(net.w_finance)
    charge = net.charges["halton", "pat@cheshire.police.uk"]
    assert client.post(f"/api/v1/charges/{charge.pk}/approve/").status_code == 200
    response = client.post("/api/v1/invoices/", {"agency": "cheshire-police"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == ("You invoice for several partnerships (halton, warrington): say which, as "
                                         "partnership.")
    response = client.post("/api/v1/invoices/", {"agency": "cheshire-police", "partnership": "halton"}, format="json")
    assert response.status_code == 201 and response.json()["partnership"] == "halton"
    for body, words in (({"partnership": "nowhere"}, "There is no partnership 'nowhere'"),
                        ({"partnership": "x\x00"}, None), ({"partnership": "h" * 41}, None)):
        response = client.post("/api/v1/invoices/", {"agency": "cheshire-police", **body}, format="json")
        assert response.status_code == 400 and response.json()["detail"]
        if words:
            assert words in response.json()["detail"]


def test_each_business_unit_sets_its_own_policy_through_the_api(api_as, net):
    response = api_as(net.w_business_unit).patch("/api/v1/charging-policy/", {"notice_working_days": 2},
                                                 format="json")
    assert response.status_code == 200 and response.json()["partnership"] == "warrington"
    assert current_policy(net.warrington).notice_working_days == 2
    assert current_policy(net.halton).notice_working_days == 5
    read = api_as(net.wes).get("/api/v1/charging-policy/").json()  # a practitioner reads their home's
    assert (read["partnership"], read["notice_working_days"]) == ("warrington", 2)
    assert api_as(net.wes).get("/api/v1/charging-policy/", {"partnership": "halton"}).json()[
        "notice_working_days"] == 5
    grant_role(net.w_business_unit, roles.BUSINESS_UNIT, partnership=net.halton)
    response = api_as(net.w_business_unit).patch("/api/v1/charging-policy/", {"notice_working_days": 1},
                                                 format="json")
    assert response.status_code == 400 and "several partnerships" in response.json()["detail"]
    response = api_as(net.w_business_unit).patch("/api/v1/charging-policy/?partnership=halton",
                                                 {"notice_working_days": 1}, format="json")
    assert response.status_code == 200 and current_policy(net.halton).notice_working_days == 1


def test_the_schema_describes_the_partnership_additions(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    charges = schema["paths"]["/api/v1/charges/"]["get"]
    assert "partnership" in {p["name"] for p in charges["parameters"]}
    assert "partnership" in schema["components"]["schemas"]["Charge"]["properties"]
    assert "partnership" in schema["components"]["schemas"]["InvoiceRequestRequest"]["properties"]
    assert "partnership" in schema["components"]["schemas"]["Invoice"]["properties"]
    assert "partnership" in schema["components"]["schemas"]["Policy"]["properties"]
    policy = schema["paths"]["/api/v1/charging-policy/"]
    assert "partnership" in {p["name"] for p in policy["get"]["parameters"]}
    assert "partnership" in {p["name"] for p in policy["patch"]["parameters"]}


# --- The pages -----------------------------------------------------------------------------------------------------


def test_finance_invoices_its_partnerships_charges_from_the_queue(client, stripe_on, net):
    client.force_login(net.w_finance)
    charge = net.charges["warrington", "pat@cheshire.police.uk"]
    client.post("/charges/approve/", {"charge": [charge.pk]})
    page = client.get("/charges/?status=all").content.decode()
    assert "Delivered by" in page and "Warrington Safeguarding Partnership" in page
    assert "Priya Shah" not in page
    assert '<input type="hidden" name="partnership" value="warrington">' in page
    response = client.post("/charges/invoice/", {"agency": "cheshire-police", "partnership": "warrington"},
                           follow=True)
    assert "sent through Stripe" in response.content.decode()
    charge.refresh_from_db()
    assert charge.status == "invoiced" and charge.invoice.partnership == net.warrington


def test_the_business_unit_edits_its_own_partnerships_policy_page(client, net):
    client.force_login(net.w_business_unit)
    page = client.get("/charging-policy/").content.decode()
    assert "Warrington Safeguarding Partnership" in page and "Save the policy" in page
    data = {"notice_working_days": 3, "short_session_minutes": 240, "short_session_amount": "25.00",
            "long_session_amount": "60.00", "repeat_no_shows": 2, "repeat_window_months": 12,
            "waiver_reasons_text": "Booking error"}
    response = client.post("/charging-policy/", data)
    assert response.status_code == 302 and response["Location"].endswith("?partnership=warrington")
    assert current_policy(net.warrington).long_session_amount == 6000
    assert current_policy(net.halton).long_session_amount == 5000
    client.force_login(net.w_finance)  # finance reads it
    page = client.get("/charging-policy/").content.decode()
    assert "£60.00" in page and "Save the policy" not in page and "Will Barker" in page


def test_someone_working_for_two_partnerships_chooses_which_policy(client, net):
    grant_role(net.w_business_unit, roles.BUSINESS_UNIT, partnership=net.halton)
    client.force_login(net.w_business_unit)
    page = client.get("/charging-policy/?partnership=warrington").content.decode()
    assert 'href="/charging-policy/?partnership=halton"' in page and "(shown)" in page


def test_on_a_hub_of_one_the_finance_role_given_as_a_group_alone_still_decides(api_as, past_session, practitioner,
                                                                              trainer, make_person, halton):
    """The admin gives roles as groups, with no grant for a partnership: a hub of one behaves as before."""
    from django.contrib.auth.models import Group

    from attendance.services import close_register
    from people.models import RoleGrant
    from people.services import forget_roles
    from tests.conftest import confirmed

    confirmed(past_session, practitioner)
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))
    fay = make_person("fay@halton.gov.uk", halton, roles.PRACTITIONER, name="Fay Jones")
    fay.groups.add(Group.objects.get(name=roles.FINANCE))
    forget_roles(fay)
    assert not RoleGrant.objects.filter(person=fay).exists()
    charge = Charge.objects.get()
    assert api_as(fay).post(f"/api/v1/charges/{charge.pk}/approve/").status_code == 200
