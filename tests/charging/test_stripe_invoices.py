"""From approved charges to a paid invoice, against localstripe (the real stripe library)."""

import hashlib
import hmac
import json
import time

import pytest

from attendance.services import close_register
from charging.models import Charge, Invoice, StripeEvent
from charging.services import approve_charge, invoice_agency, retry_waiting_invoices
from lib.dates import london
from lib.errors import Conflict
from tests.conftest import confirmed

AFTER = london(2030, 3, 14, 17, 0)


@pytest.fixture
def approved(past_session, practitioner, colleague, outsider, trainer, finance):
    confirmed(past_session, practitioner, colleague, outsider)
    close_register(past_session, by=trainer, now=AFTER)
    for charge in Charge.objects.all():
        approve_charge(charge, by=finance)
    return list(Charge.objects.filter(agency__code="halton-bc").order_by("pk"))


def stripe_invoice(base, invoice_id):
    import stripe

    client = stripe.StripeClient("sk_test_training_hub", base_addresses={"api": base})
    return client.v1.invoices.retrieve(invoice_id)


def test_finance_invoices_an_agency_for_its_approved_charges(stripe_on, approved, finance, halton):
    invoice = invoice_agency(halton, by=finance)
    assert invoice.status == "open"
    assert invoice.stripe_invoice_id.startswith("in_")
    assert invoice.total_pence == 10000
    remote = stripe_invoice(stripe_on, invoice.stripe_invoice_id)
    assert remote["total"] == 10000 and remote["status"] == "open"
    assert sorted(line["description"] for line in remote["lines"]["data"]) == [
        "Did not attend: Priya Shah, Understanding Neglect and Local Procedures, 14 March 2030",
        "Did not attend: Tom Walsh, Understanding Neglect and Local Procedures, 14 March 2030",
    ]
    assert set(Charge.objects.filter(agency=halton).values_list("status", flat=True)) == {"invoiced"}
    # The police charge is not on Halton's invoice.
    assert Charge.objects.get(agency__code="cheshire-police").invoice is None
    with pytest.raises(Conflict, match="no approved charges"):
        invoice_agency(halton, by=finance)


def test_when_stripe_is_unreachable_the_charges_wait_and_a_retry_bills_once(stripe_on, approved, finance, halton,
                                                                           settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    invoice = invoice_agency(halton, by=finance)
    assert invoice.status == "draft" and invoice.last_error
    assert set(Charge.objects.filter(agency=halton).values_list("status", flat=True)) == {"approved"}
    settings.STRIPE_API_BASE = stripe_on
    assert retry_waiting_invoices() == 1
    invoice.refresh_from_db()
    assert invoice.status == "open"
    assert stripe_invoice(stripe_on, invoice.stripe_invoice_id)["total"] == 10000
    assert retry_waiting_invoices() == 0
    assert Invoice.objects.count() == 1


def test_a_retry_after_a_half_finished_attempt_never_bills_twice(stripe_on, approved, finance, halton, settings,
                                                                 monkeypatch):
    from charging import stripe_gateway

    calls = {"n": 0}
    real_add = stripe_gateway.add_item

    def flaky_add(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise stripe_gateway.StripeUnavailable("connection reset")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(stripe_gateway, "add_item", flaky_add)
    invoice = invoice_agency(halton, by=finance)
    assert invoice.status == "draft"
    retry_waiting_invoices()
    invoice.refresh_from_db()
    remote = stripe_invoice(stripe_on, invoice.stripe_invoice_id)
    assert invoice.status == "open" and remote["total"] == 10000
    assert len(remote["lines"]["data"]) == 2


def signed(payload: dict, secret: str = "whsec_training_hub_test") -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    stamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={stamp},v1={signature}"


def event(event_id, kind, invoice_id):
    return {"id": event_id, "object": "event", "type": kind,
            "data": {"object": {"id": invoice_id, "object": "invoice"}}}


def test_a_paid_webhook_marks_the_charges_paid_once(client, stripe_on, approved, finance, halton):
    invoice = invoice_agency(halton, by=finance)
    body, header = signed(event("evt_1", "invoice.paid", invoice.stripe_invoice_id))
    response = client.post("/webhooks/stripe/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert set(Charge.objects.filter(agency=halton).values_list("status", flat=True)) == {"paid"}
    replay = client.post("/webhooks/stripe/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert replay.status_code == 200 and replay.content == b"already handled"
    assert Charge.objects.get(agency=halton, booking__person__name="Priya Shah").decisions.filter(
        action="invoice paid").count() == 1


def test_forged_or_unsigned_webhooks_change_nothing(client, stripe_on, approved, finance, halton):
    invoice = invoice_agency(halton, by=finance)
    body, header = signed(event("evt_2", "invoice.paid", invoice.stripe_invoice_id), secret="whsec_wrong")
    assert client.post("/webhooks/stripe/", body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header).status_code == 400
    assert client.post("/webhooks/stripe/", body, content_type="application/json").status_code == 400
    invoice.refresh_from_db()
    assert invoice.status == "open"


def test_a_webhook_for_an_unknown_invoice_is_refused(client, stripe_on, db):
    body, header = signed(event("evt_3", "invoice.paid", "in_unknown"))
    response = client.post("/webhooks/stripe/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400


def test_a_failed_payment_keeps_the_charges_invoiced(client, stripe_on, approved, finance, halton):
    invoice = invoice_agency(halton, by=finance)
    body, header = signed(event("evt_4", "invoice.payment_failed", invoice.stripe_invoice_id))
    client.post("/webhooks/stripe/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    invoice.refresh_from_db()
    assert invoice.status == "payment_failed"
    assert set(Charge.objects.filter(agency=halton).values_list("status", flat=True)) == {"invoiced"}


@pytest.mark.parametrize("payload", [
    {"id": "evt_9", "type": "invoice.paid"},
    {"id": "evt_9", "type": "invoice.paid", "data": None},
    {"id": "evt_9", "type": "invoice.paid", "data": {"object": "in_1"}},
    {"id": "evt_9", "type": "invoice.paid", "data": {"object": {"id": ["in_1"]}}},
    {"id": "evt_9", "type": "invoice.paid", "data": {"object": {"id": "in_" + "1" * 200}}},
    {"id": 9, "type": "invoice.paid", "data": {"object": {"id": "in_1"}}},
    {"id": "evt_9", "data": {"object": {"id": "in_1"}}},
])
def test_a_signed_event_of_an_unexpected_shape_is_logged_and_refused_not_a_crash(client, settings, db, payload,
                                                                                 caplog):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_training_hub_test"
    body, header = signed(payload)
    response = client.post("/webhooks/stripe/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400 and b"Unexpected event" in response.content
    assert "Stripe event refused" in caplog.text
    assert not StripeEvent.objects.exists()
