"""Handing a place to a colleague of the same agency: no charge, both told, the invites follow."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bookings.models import Booking
from bookings.services.booking import end_at_no_charge, missing_prerequisites
from bookings.services.notices import tell
from lib.errors import Conflict, Invalid
from lib.text import is_email_address
from people.models import Person


@transaction.atomic
def hand_over_booking(booking: Booking, *, to_email: str, now: datetime | None = None) -> Booking:
    """Move a confirmed place to a colleague. Returns the colleague's new booking.

    Raises Invalid (400) for an unknown person or one outside the agency; Conflict (409) when the
    colleague is already booked, lacks a prerequisite, or the booking cannot move.
    """
    now = now or timezone.now()
    booking = Booking.objects.select_for_update(of=("self",)).select_related("session__course", "person__agency").get(
        pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise Conflict("Only a confirmed place can be handed over.")
    if booking.session.starts_at <= now:
        raise Conflict("The session has started, so the place can no longer be handed over.")
    email = (to_email or "").strip().lower()
    if not is_email_address(email):
        raise Invalid("Enter your colleague's work email address, like name@agency.gov.uk.", field="email")
    colleague = Person.objects.filter(email__iexact=email, is_active=True).select_related("agency").first()
    if colleague is None:
        raise Invalid(f"Nobody with the email {email or '(blank)'} has an account: ask your colleague to sign up "
                      "first.", field="email")
    if colleague.pk == booking.person_id:
        raise Invalid("That is your own email: give your colleague's.", field="email")
    if colleague.agency_id != booking.person.agency_id:
        raise Invalid(f"You can hand your place only to a colleague at {booking.person.agency}.", field="email")
    if Booking.objects.filter(session=booking.session, person=colleague).live().exists():
        raise Conflict(f"{colleague.name} already has a place, or a place on the waiting list, on this session.")
    missing = missing_prerequisites(booking.session, colleague)
    if missing:
        raise Conflict(f"{colleague.name} has not attended {' and '.join(missing)}, which this course needs.")
    end_at_no_charge(booking, reason=f"handed over to {colleague.name}", now=now)
    new = Booking.objects.create(session=booking.session, person=colleague, status=Booking.Status.CONFIRMED,
                                 booked_at=now)
    booking.handed_over_to = new
    booking.save(update_fields=["handed_over_to", "updated_at"])
    tell(booking, "handed_over", invite="CANCEL", colleague_name=colleague.name)
    tell(new, "handed_to_you", invite="REQUEST", colleague_name=booking.person.name)
    return new
