"""Charges for no-shows and late cancellations, finance's decisions, and invoices through Stripe.

The employing agency pays, never the practitioner. A charge is raised once per booking (a
database constraint); none when a place was handed over or the partnership cancelled.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from charging import stripe_gateway
from charging.models import Charge, ChargeDecision, ChargingPolicy, Invoice, PolicyChange, StripeEvent
from charging.selectors import agency_is_charged, charge_amount, current_policy, policy_for_session
from lib.dates import to_london
from lib.errors import Conflict, Invalid
from lib.text import within
from people.partnerships import default_partnership, is_network

log = logging.getLogger(__name__)

DETAIL_MAX = 1_000  # characters in the details of a waiver, stated on the form


def _record(charge: Charge, action: str, *, from_status: str, by=None, reason: str = "") -> None:
    """The audit trail records when a decision was really taken, whatever the service's `now`."""
    ChargeDecision.objects.create(
        charge=charge,
        action=action,
        from_status=from_status,
        to_status=charge.status,
        reason=reason,
        by=by,
        at=timezone.now(),
    )


def raise_charge(booking, reason: str, *, now: datetime | None = None) -> Charge | None:
    """Raise the charge for a booking, once, under the delivering partnership's policy (the session's course's),
    owed by the person's agency. None when that policy exempts the agency, or the person has no agency."""
    now = now or timezone.now()
    policy = policy_for_session(booking.session)
    agency = booking.person.agency
    if not agency_is_charged(agency, policy):
        return None
    if Charge.objects.filter(booking=booking).exists():
        return None
    try:
        with transaction.atomic():
            charge = Charge.objects.create(
                booking=booking,
                agency=agency,
                partnership_id=policy.partnership_id,
                reason=reason,
                created_at=now,
                amount_pence=charge_amount(booking.session, policy),
                currency=policy.currency,
            )
    except IntegrityError:
        return None  # raised by a concurrent close: once per booking
    _record(charge, "raised", from_status="", reason=Charge.Reason(reason).label)
    return charge


def raise_charges_for(session, *, now: datetime | None = None) -> list[Charge]:
    """At the register's close: a charge for each no-show (never when the partnership cancelled)."""
    if session.status == session.Status.CANCELLED:
        return []
    charges = []
    for booking in session.bookings.no_shows().select_related("person__agency", "session"):
        charge = raise_charge(booking, Charge.Reason.NO_SHOW, now=now)
        if charge:
            charges.append(charge)
    return charges


def needs_written_request(reason: str) -> bool:
    """Sickness is waived only on the line manager's written request, which finance records."""
    return reason.strip().lower().startswith("sickness")


@transaction.atomic
def waive_charge(charge: Charge, *, reason: str, by, detail: str = "") -> Charge:
    """Finance waives a charge; a reason is required and kept, with any details after it.

    A sickness waiver needs the details of the line manager's written request. Raises Invalid or Conflict.
    """
    reason, detail = (reason or "").strip(), (detail or "").strip()
    if not reason:
        raise Invalid("Give a reason for waiving the charge.", field="reason")
    within(reason, 200, label="The reason", field="reason")
    within(detail, DETAIL_MAX, label="The details", field="detail")
    if needs_written_request(reason) and not detail:
        raise Invalid("Sickness is waived only on the line manager's written request: record it in the details "
                      "(who wrote, and when).", field="detail")
    if detail:
        reason = f"{reason}: {detail}"
    charge = Charge.objects.select_for_update(of=("self",)).get(pk=charge.pk)
    if not charge.is_open:
        raise Conflict(f"This charge is {charge.get_status_display().lower()}, so it can no longer be waived.")
    before = charge.status
    charge.status = Charge.Status.WAIVED
    charge.save()
    _record(charge, "waived", from_status=before, by=by, reason=reason)
    return charge


@transaction.atomic
def approve_charge(charge: Charge, *, by) -> Charge:
    """Finance approves a pending charge for invoicing. Raises Conflict for any other status."""
    charge = Charge.objects.select_for_update(of=("self",)).get(pk=charge.pk)
    if charge.status != Charge.Status.PENDING:
        raise Conflict(f"Only a pending charge can be approved; this one is {charge.get_status_display().lower()}.")
    charge.status = Charge.Status.APPROVED
    charge.save()
    _record(charge, "approved", from_status=Charge.Status.PENDING, by=by)
    return charge


def approve_charges(charges: Iterable[Charge], *, by) -> list[Charge]:
    """Approve many at once: all or nothing."""
    with transaction.atomic():
        return [approve_charge(charge, by=by) for charge in charges]


def void_charge_for_booking(booking, *, by, reason: str) -> None:
    """A mark corrected to attended ends its no-show charge (unless already invoiced or paid)."""
    charge = Charge.objects.filter(booking=booking).first()
    if charge and charge.is_open:
        before = charge.status
        charge.status = Charge.Status.VOID
        charge.save()
        _record(charge, "voided", from_status=before, by=by, reason=reason)


# --- The policy ------------------------------------------------------------------------------------

POLICY_FIELDS = (
    "notice_working_days",
    "short_session_minutes",
    "short_session_amount",
    "long_session_amount",
    "repeat_no_shows",
    "repeat_window_months",
)


@transaction.atomic
def change_policy(*, by, partnership=None, exempt_agencies=None, waiver_reasons=None, **fields) -> ChargingPolicy:
    """A partnership's business unit changes its policy (`partnership`, by default the first); it applies to
    charges raised after it on the sessions that partnership delivers. Kept in the audit trail. Raises Invalid."""
    policy = ChargingPolicy.objects.select_for_update(of=("self",)).get(pk=current_policy(partnership).pk)
    changes = {}
    for name, value in fields.items():
        if name not in POLICY_FIELDS:
            raise Invalid(f"{name} is not part of the charging policy.", field=name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise Invalid(f"{name} must be a whole number, 0 or more (amounts are in pence).", field=name)
        if getattr(policy, name) != value:
            changes[name] = [getattr(policy, name), value]
            setattr(policy, name, value)
    if waiver_reasons is not None:
        cleaned = [r.strip() for r in waiver_reasons if r and r.strip()]
        for reason in cleaned:
            within(reason, 200, label="Each reason", field="waiver_reasons")
        if not cleaned:
            raise Invalid("Keep at least one reason finance may waive for.", field="waiver_reasons")
        changes["waiver_reasons"] = [policy.waiver_reasons, cleaned]
        policy.waiver_reasons = cleaned
    policy.updated_by = by
    policy.updated_at = timezone.now()
    policy.save()
    if exempt_agencies is not None:
        changes["exempt_agencies"] = [
            sorted(a.code for a in policy.exempt_agencies.all()),
            sorted(a.code for a in exempt_agencies),
        ]
        policy.exempt_agencies.set(exempt_agencies)
    PolicyChange.objects.create(partnership_id=policy.partnership_id, changes=changes, by=by)
    return policy


# --- Invoices --------------------------------------------------------------------------------------


def _describe(charge: Charge) -> str:
    booking = charge.booking
    when = to_london(booking.session.starts_at)
    return f"{charge.get_reason_display()}: {booking.person.name}, {booking.session.course.title}, {when:%-d %B %Y}"


def invoice_agency(agency, *, by, partnership=None, now: datetime | None = None) -> Invoice:
    """One Stripe invoice for all the agency's approved charges raised by `partnership` (by default the first)
    and not yet on an invoice: invoices are per (partnership, agency), and name the partnership.

    The charges are claimed for the invoice in one transaction (a charge belongs to at most one
    invoice); the Stripe calls follow. If Stripe cannot be reached, the attempt is recorded and
    the charges stay approved on that draft invoice, for `retry_invoice` to send later.
    Raises Conflict when there is nothing to invoice.
    """
    now = now or timezone.now()
    partnership = partnership or default_partnership()
    with transaction.atomic():
        charges = list(
            Charge.objects.select_for_update(of=("self",)).filter(
                agency=agency, partnership=partnership, status=Charge.Status.APPROVED, invoice=None
            )
        )
        if not charges:
            by_whom = f" by {partnership.name}" if is_network() else ""
            raise Conflict(f"{agency.name} has no approved charges waiting to be invoiced{by_whom}.")
        invoice = Invoice.objects.create(
            agency=agency,
            partnership=partnership,
            created_by=by,
            created_at=now,
            total_pence=sum(c.amount_pence for c in charges),
            currency=charges[0].currency,
        )
        Charge.objects.filter(pk__in=[c.pk for c in charges]).update(invoice=invoice)
    return send_invoice(invoice, by=by)


def send_invoice(invoice: Invoice, *, by=None) -> Invoice:
    """Create (or finish creating) the invoice in Stripe and finalise it for payment in 30 days."""
    Invoice.objects.filter(pk=invoice.pk).update(attempts=F("attempts") + 1)  # counted in the database
    invoice.refresh_from_db()
    agency = invoice.agency
    try:
        if not agency.stripe_customer_id:
            agency.stripe_customer_id = stripe_gateway.create_customer(agency)
            agency.save(update_fields=["stripe_customer_id"])
        if not invoice.stripe_invoice_id:
            invoice.stripe_invoice_id = stripe_gateway.create_invoice(invoice, agency.stripe_customer_id,
                                                                      named=is_network())
            invoice.save(update_fields=["stripe_invoice_id"])
        for charge in invoice.charges.select_related("booking__person", "booking__session__course"):
            if not charge.stripe_invoice_item_id:
                charge.stripe_invoice_item_id = stripe_gateway.add_item(
                    invoice, agency.stripe_customer_id, charge, _describe(charge)
                )
                charge.save(update_fields=["stripe_invoice_item_id", "updated_at"])
        result = stripe_gateway.finalize(invoice)
    except stripe_gateway.StripeUnavailable as exc:
        invoice.last_error = str(exc)[:2000]
        invoice.save(update_fields=["last_error"])
        log.warning("Invoice %s waits: %s", invoice.pk, exc)
        return invoice
    with transaction.atomic():
        invoice.status = Invoice.Status.OPEN
        invoice.sent_at = timezone.now()
        invoice.last_error = ""
        invoice.save()
        for charge in invoice.charges.select_for_update(of=("self",)):
            before = charge.status
            charge.status = Charge.Status.INVOICED
            charge.save()
            _record(charge, "invoiced", from_status=before, by=by, reason=f"Stripe invoice {invoice.stripe_invoice_id}")
    if result["total"] != invoice.total_pence:
        log.error("Invoice %s: Stripe total %s differs from ours %s", invoice.pk, result["total"], invoice.total_pence)
    return invoice


def retry_waiting_invoices() -> int:
    """The sweep: send invoices whose Stripe calls failed earlier."""
    sent = 0
    for invoice in Invoice.objects.filter(status=Invoice.Status.DRAFT).select_related("agency", "partnership"):
        if send_invoice(invoice).status == Invoice.Status.OPEN:
            sent += 1
    return sent


# --- Webhooks --------------------------------------------------------------------------------------

INVOICE_EVENTS = {
    "invoice.paid": (Invoice.Status.PAID, Charge.Status.PAID),
    "invoice.payment_succeeded": (Invoice.Status.PAID, Charge.Status.PAID),
    "invoice.payment_failed": (Invoice.Status.PAYMENT_FAILED, None),
    "invoice.voided": (Invoice.Status.VOID, Charge.Status.VOID),
}


@transaction.atomic
def handle_stripe_event(event_id: str, event_type: str, stripe_invoice_id: str | None) -> str:
    """Move an invoice and its charges on; each event once. Returns what happened, in words.

    Raises Invalid for an invoice event about an invoice we never sent.
    """
    if StripeEvent.objects.filter(event_id=event_id).exists():
        return "already handled"
    if event_type not in INVOICE_EVENTS:
        StripeEvent.objects.create(event_id=event_id, type=event_type)
        return "ignored"
    invoice = Invoice.objects.select_for_update(of=("self",)).filter(stripe_invoice_id=stripe_invoice_id or "-").first()
    if invoice is None:
        raise Invalid(f"Unknown invoice {stripe_invoice_id!r}.")
    StripeEvent.objects.create(event_id=event_id, type=event_type)
    invoice_status, charge_status = INVOICE_EVENTS[event_type]
    invoice.status = invoice_status
    if invoice_status == Invoice.Status.PAID:
        invoice.paid_at = timezone.now()
    invoice.save()
    if charge_status:
        for charge in invoice.charges.select_for_update(of=("self",)):
            before = charge.status
            charge.status = charge_status
            charge.save()
            _record(
                charge,
                event_type.replace("invoice.", "invoice "),
                from_status=before,
                reason=f"Stripe event {event_id}",
            )
    return f"invoice {invoice.pk} {invoice_status}"
