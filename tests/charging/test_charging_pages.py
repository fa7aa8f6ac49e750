import pytest

from attendance.services import close_register
from charging.models import Charge, ChargingPolicy
from lib.dates import london
from tests.conftest import confirmed

AFTER = london(2030, 3, 14, 17, 0)


@pytest.fixture
def charges(past_session, practitioner, colleague, outsider, trainer):
    confirmed(past_session, practitioner, colleague, outsider)
    close_register(past_session, by=trainer, now=AFTER)
    return list(Charge.objects.order_by("pk"))


def test_finance_waives_with_a_reason_on_the_page(client, charges, finance):
    client.force_login(finance)
    queue = client.get("/charges/").content.decode()
    assert "Priya Shah" in queue and "£50.00" in queue
    assert '<option value="cheshire-police"' in queue and '<option value="halton-bc"' in queue  # filter by agency
    page = client.post(f"/charges/{charges[0].pk}/", {"action": "waive"})
    assert "Choose the reason for waiving the charge" in page.content.decode()
    page = client.post(f"/charges/{charges[0].pk}/", {"action": "waive",
                                                      "reason": "Sickness, on the line manager's written request"})
    assert "written request" in page.content.decode()
    client.post(f"/charges/{charges[0].pk}/", {"action": "waive", "reason": "Booking error", "detail": "Duplicate"})
    charges[0].refresh_from_db()
    assert charges[0].status == "waived"
    waived_page = client.get(f"/charges/{charges[0].pk}/").content.decode()
    assert "Booking error: Duplicate" in waived_page
    assert "Waive the charge" not in waived_page  # a waived charge is no longer open to a decision
    assert "Waive the charge" in client.get(f"/charges/{charges[1].pk}/").content.decode()


def test_finance_approves_many_and_invoices(client, stripe_on, charges, finance):
    client.force_login(finance)
    client.post("/charges/approve/", {"charge": [c.pk for c in charges]})
    assert set(Charge.objects.values_list("status", flat=True)) == {"approved"}
    response = client.post("/charges/invoice/", {"agency": "halton-bc"}, follow=True)
    assert "sent through Stripe" in response.content.decode()
    assert set(Charge.objects.filter(agency__code="halton-bc").values_list("status", flat=True)) == {"invoiced"}


def test_with_stripe_off_finance_reads_that_the_invoice_waits_and_who_can_switch_invoicing_on(
        client, charges, finance, settings, caplog):
    settings.STRIPE_API_KEY = ""
    client.force_login(finance)
    client.post("/charges/approve/", {"charge": [c.pk for c in charges]})
    with caplog.at_level("WARNING", logger="charging.services"):
        response = client.post("/charges/invoice/", {"agency": "halton-bc"}, follow=True)
    page = response.content.decode()
    assert ("The invoice for Halton Borough Council (£100.00) is saved but not sent. It goes automatically once "
            "invoicing through Stripe is switched on.") in page
    # Beside the invoices: what it means, and whom to ask.
    assert page.count("Invoicing through Stripe is not switched on yet") == 1
    assert "goes automatically once it is" in page and settings.CONTACT_EMAIL in page
    for technical in ("STRIPE_API_KEY", "could not be reached", "is not set up", "There is a problem"):
        assert technical not in page
    assert "waits until invoicing is switched on" in page  # the invoice's line in the list
    assert "STRIPE_API_KEY" in caplog.text  # the technical reason, for whoever runs the hub


def test_agency_managers_see_their_own_agencys_charges_only(client, charges, agency_manager):
    client.force_login(agency_manager)
    page = client.get("/charges/").content.decode()
    assert "Priya Shah" in page and "Olly Outsider" not in page
    assert "Cheshire Constabulary" not in page and 'name="agency"' not in page  # no other agency, not even a filter
    assert client.get(f"/charges/{charges[2].pk}/").status_code == 404
    assert client.post("/charges/approve/", {"charge": [charges[0].pk]}).status_code == 403


def test_practitioners_see_no_charges(client, charges, practitioner):
    client.force_login(practitioner)
    assert client.get("/charges/").status_code == 403


def test_business_unit_sets_the_policy_on_the_page(client, business_unit, police):
    client.force_login(business_unit)
    page = client.get("/charging-policy/").content.decode()
    assert "Notice period, in working days" in page
    # Amounts are asked in pounds and pence, and kept in pence.
    assert 'value="25.00"' in page and 'value="50.00"' in page and "pence" not in page
    response = client.post("/charging-policy/", {
        "notice_working_days": 3, "short_session_minutes": 240, "short_session_amount": "£35.00",
        "long_session_amount": "70", "exempt_agencies": [police.pk], "repeat_no_shows": 2,
        "repeat_window_months": 12, "waiver_reasons_text": "Sickness\nBooking error"})
    assert response.status_code == 302
    policy = ChargingPolicy.objects.get()
    assert (policy.notice_working_days, policy.short_session_amount, policy.long_session_amount) == (3, 3500, 7000)
    assert list(policy.exempt_agencies.all()) == [police]
    assert "Charge for a short session: £25.00 → £35.00" in client.get("/charging-policy/").content.decode()


@pytest.mark.parametrize(("typed", "pence"), [("25", 2500), ("25.5", 2550), ("£25.50", 2550), ("1,250.00", 125000),
                                              ("0", 0), (" 7.05 ", 705)])
def test_policy_amounts_are_read_as_pounds_and_pence(client, business_unit, typed, pence):
    client.force_login(business_unit)
    response = client.post("/charging-policy/", {
        "notice_working_days": 5, "short_session_minutes": 240, "short_session_amount": typed,
        "long_session_amount": "50.00", "repeat_no_shows": 2, "repeat_window_months": 12,
        "waiver_reasons_text": "Sickness"})
    assert response.status_code == 302
    assert ChargingPolicy.objects.get().short_session_amount == pence


@pytest.mark.parametrize(("typed", "words"), [
    ("2500p", "Enter the charge for a short session in pounds and pence, like £25.00"),
    ("25.001", "Enter the charge for a short session in pounds and pence, like £25.00"),
    ("-5", "The charge for a short session must be £0.00 or more"),
    ("", "Enter the charge for a short session"),
])
def test_a_policy_amount_that_is_not_money_is_refused_in_words(client, business_unit, typed, words):
    client.force_login(business_unit)
    response = client.post("/charging-policy/", {
        "notice_working_days": 5, "short_session_minutes": 240, "short_session_amount": typed,
        "long_session_amount": "50.00", "repeat_no_shows": 2, "repeat_window_months": 12,
        "waiver_reasons_text": "Sickness"})
    assert response.status_code == 200 and words in response.content.decode()
    assert ChargingPolicy.objects.get().short_session_amount == 2500


def test_finance_reads_the_policy_but_cannot_change_it(client, finance):
    client.force_login(finance)
    page = client.get("/charging-policy/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "£25.00" in html and "£50.00" in html and "4 hours in total" in html and "5 working days" in html
    assert "<form" not in html.split("<main", 1)[1] and "Save the policy" not in html
    assert client.post("/charging-policy/", {"notice_working_days": 1}).status_code == 403
    assert ChargingPolicy.objects.get().notice_working_days == 5
