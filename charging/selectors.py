from typing import NamedTuple

from django.db.models import Q, QuerySet

from charging.models import Charge, ChargingPolicy, Invoice
from lib.errors import Invalid, NotAllowed
from people.models import Partnership
from people.partnerships import default_partnership, settings_of
from people.permissions import managed_agency_id, may
from people.selectors import SLUG, partnership_named, partnership_slugs


def _partnership_pk(partnership) -> int:
    """A partnership, its pk, or None for the default (first) one."""
    if partnership is None:
        return default_partnership().pk
    return partnership if isinstance(partnership, int) else partnership.pk


def current_policy(partnership=None) -> ChargingPolicy:
    """The partnership's policy (by default the first partnership's, the only one on a hub of one), made with
    the defaults the first time it is asked for."""
    return settings_of(ChargingPolicy, _partnership_pk(partnership))


def policy_for_session(session) -> ChargingPolicy:
    """The policy a session is charged under: its delivering partnership's (the session's course's)."""
    return current_policy(session.course.partnership_id)


class RepeatNoShowRule(NamedTuple):
    """After `repeat_no_shows` no-shows (0: never) in `repeat_window_months`, the agency manager approves."""

    repeat_no_shows: int
    repeat_window_months: int


def repeat_no_show_rule(partnership=None) -> RepeatNoShowRule:
    """The partnership's repeat no-show rule alone (by default the first partnership's): all a booking needs of
    the delivering partnership's policy, in one small read (made with the defaults when there is no policy yet)."""
    partnership_id = _partnership_pk(partnership)
    row = (ChargingPolicy.objects.filter(partnership_id=partnership_id)
           .values_list("repeat_no_shows", "repeat_window_months").first())
    if row is None:
        policy = current_policy(partnership_id)
        return RepeatNoShowRule(policy.repeat_no_shows, policy.repeat_window_months)
    return RepeatNoShowRule(*row)


def agency_is_charged(agency, policy: ChargingPolicy | None = None) -> bool:
    """Whether the policy (by default the first partnership's) charges this agency at all: never a person with
    no agency, nor an agency the policy exempts (a funding partner, say). Pages warn of a charge only when one
    could follow."""
    if agency is None:
        return False
    policy = policy or current_policy()
    return not policy.exempt_agencies.filter(pk=agency.pk).exists()


def charge_amount(session, policy: ChargingPolicy | None = None) -> int:
    """Pence the policy (by default the session's delivering partnership's) charges for a no-show or late
    cancellation on this session (by its total length)."""
    policy = policy or policy_for_session(session)
    if session.total_minutes <= policy.short_session_minutes:
        return policy.short_session_amount
    return policy.long_session_amount


def charge_for(agency, session) -> int | None:
    """Pence the agency would be charged for a no-show or late cancellation on this session, or None when
    the delivering partnership's policy does not charge it: what pages warn of before a person books or cancels."""
    policy = policy_for_session(session)
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
    """A partnership's finance and business unit see the charges it raised (the sessions it delivered); an agency
    manager their agency's, whichever partnership raised them; nobody else any."""

    charges = Charge.objects.select_related("booking__person", "booking__session__course", "agency", "invoice",
                                            "partnership")
    seen = Q(partnership_id__in=partnerships_where(person, "review_charges"))
    if agency_id := managed_agency_id(person):
        seen |= Q(agency_id=agency_id)
    return charges.filter(seen)


def invoices_visible_to(person) -> QuerySet:
    """The invoices of the partnerships whose charges the person reviews, and their own agency's as its manager."""
    seen = Q(partnership_id__in=partnerships_where(person, "review_charges"))
    if agency_id := managed_agency_id(person):
        seen |= Q(agency_id=agency_id)
    return Invoice.objects.filter(seen).select_related("agency", "partnership")


def partnerships_where(person, action: str) -> list[int]:
    """The pks of the partnerships for which `may(person, action, partnership)` (a charging action)."""
    if not may(person, action):
        return []
    return [pk for pk in Partnership.objects.order_by("pk").values_list("pk", flat=True) if may(person, action, pk)]


def partnership_by_slug(slug: str, *, field: str = "partnership") -> Partnership:
    """The partnership an address or a body names by its slug. Raises Invalid, naming the ones there are."""
    slug = slug.strip() if isinstance(slug, str) else ""
    found = partnership_named(slug)
    if found is None:
        choices = ", ".join(partnership_slugs())
        said = f"There is no partnership {slug!r}" if SLUG.fullmatch(slug) else "That is not a partnership"
        raise Invalid(f"{said}: give one of {choices}.", field=field)
    return found


def acting_partnership(person, action: str, slug: str | None, *, doing: str) -> Partnership:
    """The partnership `person` acts for in a charging action (`doing` says it in words: "invoice"): the one
    named by `slug`, which they must hold the role for (NotAllowed otherwise); or, naming none, the only one
    they may act for. Raises NotAllowed when they may act for none, and Invalid when they may for several."""
    if slug:
        partnership = partnership_by_slug(slug)
        if not may(person, action, partnership):
            raise NotAllowed(f"Only {partnership.name}'s own officers {doing} for it.")
        return partnership
    mine = partnerships_where(person, action)
    if not mine:
        raise NotAllowed(f"You do not {doing} for any partnership.")
    if len(mine) > 1:
        names = ", ".join(Partnership.objects.filter(pk__in=mine).values_list("slug", flat=True))
        raise Invalid(f"You {doing} for several partnerships ({names}): say which, as partnership.",
                      field="partnership")
    return Partnership.objects.get(pk=mine[0])
