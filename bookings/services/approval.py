"""Line-manager approval: signed, single-use links; no account needed."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services.notices import tell, tell_manager
from bookings.services.rules import booking_settings, end_at_no_charge
from bookings.transitions import move
from lib.errors import Conflict, Invalid

SALT = "bookings.approval"


def check_line_manager_email(person, email: str, *, arranged_by=None) -> str:
    """The rule for who approves a place: the line manager is someone else, at a work address.

    Not the person booked (nor the colleague handing them the place, `arranged_by`), not at a free or
    personal mail provider, and at one of the agency's email domains when it lists any. Returns the
    address as one plain string (people.services.plain_address: however it was typed, with quotes, a display
    name, capitals, spaces or a trailing dot, the booker's own address is still theirs); raises Invalid on
    `line_manager_email` saying what to give instead.
    """
    from people.services import in_agency_domains, is_personal_address, plain_address, same_mailbox

    agency = person.agency
    named = agency.name if agency else "your agency"
    whose = "your" if arranged_by is None else f"{person.name}'s"
    email = plain_address(email) if (email or "").strip() else ""
    if not email:
        raise Invalid(f"{named} asks for line manager approval: give {whose} line manager's work email.",
                      field="line_manager_email")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Invalid(f"Enter {whose} line manager's email address in the correct format, like "
                      "name@halton.gov.uk.", field="line_manager_email") from exc
    if same_mailbox(email, person.email):
        raise Invalid(f"A place cannot be approved by the person booked on it: give {whose} line manager's "
                      "work email.", field="line_manager_email")
    if arranged_by is not None and same_mailbox(email, arranged_by.email):
        raise Invalid(f"You cannot approve a place you are handing over: give {whose} line manager's work email.",
                      field="line_manager_email")
    if is_personal_address(email):
        raise Invalid(f"Give {whose} line manager's work email, not a personal one: approval must come from "
                      f"{named}.", field="line_manager_email")
    if agency is not None and not in_agency_domains(agency, email):
        raise Invalid(f"Give {whose} line manager's work email, at {' or '.join(agency.domain_list())}: approval "
                      f"must come from {named}.", field="line_manager_email")
    return email


def approval_token(booking: Booking, decision: str) -> str:
    return signing.dumps({"b": booking.pk, "d": decision}, salt=SALT)


def request_approval(booking: Booking, *, now: datetime, **context) -> None:
    """Hold the place for the line manager for the time the delivering partnership sets and email them
    approve and decline links.

    `context`: more for the person's email (`colleague_name`, when a colleague handed them the place)."""
    hold = booking_settings(booking.session.course.partnership_id).approval_hold_hours
    booking.approval_expires_at = now + timedelta(hours=hold)
    booking.approval_decided_at = None
    booking.save(update_fields=["approval_expires_at", "approval_decided_at", "updated_at"])
    base = settings.SITE_URL
    tell_manager(
        booking,
        approve_url=base + reverse("approval", args=[approval_token(booking, "approve")]),
        decline_url=base + reverse("approval", args=[approval_token(booking, "decline")]),
        **context,
    )
    tell(booking, "pending_approval", manager=booking.line_manager_email, until=booking.approval_expires_at,
         **context)


def read_token(token: str) -> tuple[Booking, str]:
    """The booking and decision a link stands for. Raises Invalid for a forged or garbled link."""
    try:
        data = signing.loads(token, salt=SALT)
        booking = Booking.objects.select_related("session__course", "person").get(pk=data["b"])
        decision = data["d"]
    except (signing.BadSignature, KeyError, TypeError, Booking.DoesNotExist) as exc:
        raise Invalid("This approval link is not valid. Ask the practitioner to book again.") from exc
    if decision not in ("approve", "decline"):
        raise Invalid("This approval link is not valid.")
    return booking, decision


@transaction.atomic
def decide_approval(token: str, *, now: datetime | None = None) -> Booking:
    """The line manager's answer. Each link works once; a lapsed hold cannot be approved."""
    from bookings.services.waitlist import promote_from_waitlist  # waitlist asks approval.request_approval

    now = now or timezone.now()
    booking, decision = read_token(token)
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("session__course", "person").get(pk=booking.pk)
    )
    if booking.approval_decided_at is not None or booking.status != Booking.Status.PENDING_APPROVAL:
        raise Conflict("This request has already been answered, or the booking has ended.")
    if booking.approval_expires_at and booking.approval_expires_at <= now:
        raise Conflict("This request has lapsed and the place has been released.")
    booking.approval_decided_at = now
    if decision == "approve":
        move(booking, Booking.Status.CONFIRMED)
        tell(booking, "approved", invite="REQUEST")
    else:
        end_at_no_charge(booking, reason="line manager declined", now=now)
        tell(booking, "declined")
        promote_from_waitlist(booking.session, now=now)
    return booking


def expire_approvals(*, now: datetime | None = None) -> int:
    """The sweep: a place nobody approved in time is released to the waiting list."""
    from bookings.services.waitlist import promote_from_waitlist  # waitlist asks approval.request_approval

    now = now or timezone.now()
    released = 0
    ids = list(
        Booking.objects.filter(status=Booking.Status.PENDING_APPROVAL, approval_expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for booking_id in ids:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("session__course", "person")
                .get(pk=booking_id)
            )
            if booking.status != Booking.Status.PENDING_APPROVAL:
                continue
            end_at_no_charge(booking, reason="line manager approval not given in time", now=now)
            tell(booking, "approval_lapsed")
            promote_from_waitlist(booking.session, now=now)
            released += 1
    return released
