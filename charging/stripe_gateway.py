"""The one module that talks to Stripe (the real `stripe` library; localstripe in tests).

Every call carries an idempotency key, so a retry after a lost answer never bills twice; the
ids Stripe returns are kept on our rows, so a retry after a crash resumes where it stopped.
"""

import stripe
from django.conf import settings


class StripeUnavailable(Exception):
    """Stripe could not be reached, or refused: the charges wait and a retry sends them later."""


def enabled() -> bool:
    return bool(settings.STRIPE_API_KEY)


def _client() -> stripe.StripeClient:
    if not enabled():
        raise StripeUnavailable("Stripe is not set up (STRIPE_API_KEY is empty): charges wait until it is.")
    kwargs = {"max_network_retries": 0}
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_API_KEY, **kwargs)


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.StripeError as exc:
        raise StripeUnavailable(f"Stripe: {exc.user_message or exc}") from exc
    except OSError as exc:
        raise StripeUnavailable(f"Stripe could not be reached: {exc}") from exc


def create_customer(agency) -> str:
    customer = _call(_client().v1.customers.create, params={
        "name": agency.name,
        "email": agency.billing_email or None,
        "description": agency.billing_contact_name or agency.name,
        "metadata": {"agency_code": agency.code},
    }, options={"idempotency_key": f"hub-customer-{agency.pk}"})
    return customer["id"]


def create_invoice(invoice, customer_id: str, *, named: bool = False) -> str:
    """The draft invoice for one (partnership, agency). Its metadata always names the partnership that raised
    it; on a network (`named`) the invoice itself does too: in its description, a custom field and the footer,
    with whom to contact, so the agency knows whose sessions it pays for."""
    partnership = invoice.partnership
    params = {
        "customer": customer_id,
        "collection_method": "send_invoice",
        "days_until_due": 30,
        "description": f"Multi-agency safeguarding training: no-show and late-cancellation charges for "
                       f"{invoice.agency.name}",
        "metadata": {"hub_invoice": str(invoice.pk), "partnership": partnership.slug,
                     "partnership_name": partnership.name[:500]},
    }
    if named:
        params["description"] = (f"Multi-agency safeguarding training delivered by {partnership.name}: no-show and "
                                 f"late-cancellation charges for {invoice.agency.name}")
        # Stripe allows a custom field's name up to 40 characters and its value up to 140.
        params["custom_fields"] = [{"name": "Partnership", "value": partnership.name[:140]}]
        contact = f" Questions: {partnership.contact_email}." if partnership.contact_email else ""
        params["footer"] = f"Raised by {partnership.name} for the sessions it delivered.{contact}"
    created = _call(_client().v1.invoices.create, params=params,
                    options={"idempotency_key": f"hub-invoice-{invoice.pk}"})
    return created["id"]


def add_item(invoice, customer_id: str, charge, description: str) -> str:
    item = _call(_client().v1.invoice_items.create, params={
        "customer": customer_id,
        "invoice": invoice.stripe_invoice_id,
        "amount": charge.amount_pence,
        "currency": charge.currency,
        "description": description,
        "metadata": {"hub_charge": str(charge.pk)},
    }, options={"idempotency_key": f"hub-item-{invoice.pk}-{charge.pk}"})
    return item["id"]


def finalize(invoice) -> dict:
    finalized = _call(_client().v1.invoices.finalize_invoice, invoice.stripe_invoice_id,
                      params={"auto_advance": True},
                      options={"idempotency_key": f"hub-finalize-{invoice.pk}"})
    return {"status": finalized["status"], "total": finalized["total"]}


def construct_event(payload: bytes, signature: str):
    """Verify a webhook's signature against STRIPE_WEBHOOK_SECRET. Raises ValueError or SignatureVerificationError."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise ValueError("STRIPE_WEBHOOK_SECRET is not set")
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
