from typing import NamedTuple

from django.db.models import QuerySet

from charging.models import Charge, ChargingPolicy
from people.permissions import managed_agency_id, may


def current_policy() -> ChargingPolicy:
    """The one policy row, created with the defaults the first time it is asked for."""
    return _the_policy().first() or ChargingPolicy.objects.create()


class RepeatNoShowRule(NamedTuple):
    """After `repeat_no_shows` no-shows (0: never) in `repeat_window_months`, the agency manager approves."""

    repeat_no_shows: int
    repeat_window_months: int


def _the_policy() -> QuerySet:
    """The one policy row, as current_policy() finds it."""
    return ChargingPolicy.objects.order_by("pk")


def repeat_no_show_rule() -> RepeatNoShowRule:
    """The policy's repeat no-show rule alone: all a booking needs of the policy, in one small read
    (made with the defaults when there is no policy yet)."""
    row = _the_policy().values_list("repeat_no_shows", "repeat_window_months").first()
    if row is None:
        policy = current_policy()
        return RepeatNoShowRule(policy.repeat_no_shows, policy.repeat_window_months)
    return RepeatNoShowRule(*row)


def agency_is_charged(agency, policy: ChargingPolicy | None = None) -> bool:
    """Whether the policy charges this agency at all: never a person with no agency, nor an agency the
    policy exempts (a funding partner, say). Pages warn of a charge only when one could follow."""
    if agency is None:
        return False
    policy = policy or current_policy()
    return not policy.exempt_agencies.filter(pk=agency.pk).exists()


def charge_amount(session, policy: ChargingPolicy | None = None) -> int:
    """Pence the policy charges for a no-show or late cancellation on this session (by its total length)."""
    policy = policy or current_policy()
    if session.total_minutes <= policy.short_session_minutes:
        return policy.short_session_amount
    return policy.long_session_amount


def charge_for(agency, session) -> int | None:
    """Pence the agency would be charged for a no-show or late cancellation on this session, or None when
    the policy does not charge it: what pages warn of before a person books or cancels."""
    policy = current_policy()
    return charge_amount(session, policy) if agency_is_charged(agency, policy) else None


def invoice_waits_because() -> str:
    """Why an invoice waits, in a finance officer's words: what it means and who can change it (the
    page adds how to reach them: CONTACT_EMAIL).

    The technical reason (the setting, Stripe's own error) goes to the log and the API's `last_error`.
    """
    from charging import stripe_gateway

    if not stripe_gateway.enabled():
        return ("Invoicing through Stripe is not switched on yet, so the invoice is kept and goes "
                "automatically once it is. To have it switched on, ask the team that runs the training hub.")
    return ("Stripe did not take the invoice just now, so it is kept and the hub tries again every "
            "15 minutes. If it still waits tomorrow, tell the team that runs the training hub.")


def invoice_waiting_status() -> str:
    """The short form of invoice_waits_because(), for the list of invoices."""
    from charging import stripe_gateway

    if not stripe_gateway.enabled():
        return "waits until invoicing is switched on"
    return "waits: Stripe will be tried again"


def invoice_waits_short() -> str:
    """One sentence of invoice_waits_because(), for the message after pressing "Invoice"."""
    from charging import stripe_gateway

    if not stripe_gateway.enabled():
        return "It goes automatically once invoicing through Stripe is switched on."
    return "Stripe did not take it just now; the hub tries again every 15 minutes."


def charges_visible_to(person) -> QuerySet:
    """Finance and the business unit see every charge; an agency manager their agency's; nobody else any."""

    charges = Charge.objects.select_related("booking__person", "booking__session__course", "agency", "invoice")
    if may(person, "review_charges"):
        return charges
    if agency_id := managed_agency_id(person):
        return charges.filter(agency_id=agency_id)
    return charges.none()
