"""Handing a place to a colleague of the same agency: no charge, both told, the invites follow, and the
colleague's place approved as their own booking would be."""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bookings.models import Booking
from bookings.services.approval import check_line_manager_email, request_approval
from bookings.services.notices import tell
from bookings.services.places import (
    first_partnership_id,
    home_of,
    kept_words,
    open_places,
    places_are_kept,
    why_not_open_to,
)
from bookings.services.rules import end_at_no_charge, missing_prerequisites, needs_approval, repeat_no_show_approver
from bookings.transitions import create
from courses.models import Session, SessionReservation
from lib.errors import Conflict, Invalid, NotAllowed
from lib.text import is_email_address
from people.models import Person
from people.partnerships import home_partnership_id


@transaction.atomic
def hand_over_booking(booking: Booking, *, to_email: str, line_manager_email: str = "",
                      now: datetime | None = None) -> Booking:
    """Move a confirmed place to a colleague. Returns the colleague's new booking.

    The colleague's place goes through the same approval as a booking of their own would: when their
    agency asks for line-manager approval (`line_manager_email`, checked by check_line_manager_email, who
    may not be the person handing over either), or the repeat no-show rule names their agency manager,
    it is held pending approval, and a decline or a lapse frees it for the waiting list.

    An agency may serve several partnerships: the colleague must be one the session is open to, and while
    the session keeps places for partnerships, the place must be one the colleague's partnership may take
    (places.py), so a kept place never passes to another partnership's people.

    Raises Invalid (400) for an unknown person or one outside the agency, or a line manager who may not
    approve; NotAllowed (403) when the session is not open to the colleague's partnership; Conflict (409)
    when the colleague is already booked, lacks a prerequisite, the place is kept for another partnership,
    or the booking cannot move.
    """
    now = now or timezone.now()
    keeps = Exists(SessionReservation.objects.filter(session_id=OuterRef("session_id")))
    booking = (Booking.objects.select_for_update(of=("self",)).select_related("session__course", "person__agency")
               .annotate(session_keeps_places=keeps).get(pk=booking.pk))
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
    refused = why_not_open_to(booking.session, home_partnership_id(colleague))
    if refused:
        raise NotAllowed(f"{colleague.name} cannot have your place. {refused}")
    missing = missing_prerequisites(booking.session, colleague)
    if missing:
        raise Conflict(f"{colleague.name} has not attended {' and '.join(missing)}, which this course needs.")
    approver = repeat_no_show_approver(colleague, now=now, session=booking.session, not_by=booking.person)
    if approver:
        line_manager_email = approver
    elif needs_approval(colleague):
        line_manager_email = check_line_manager_email(colleague, line_manager_email, arranged_by=booking.person)
    else:
        line_manager_email = ""
    end_at_no_charge(booking, reason=f"handed over to {colleague.name}", now=now)
    if booking.session_keeps_places:
        _check_kept_place(booking.session, colleague, now=now)
    new = create(session=booking.session, person=colleague, booked_at=now, line_manager_email=line_manager_email,
                 status=Booking.Status.PENDING_APPROVAL if line_manager_email else Booking.Status.CONFIRMED)
    booking.handed_over_to = new
    booking.save(update_fields=["handed_over_to", "updated_at"])
    tell(booking, "handed_over", invite="CANCEL", colleague_name=colleague.name,
         awaiting_approval=bool(line_manager_email))
    if line_manager_email:
        request_approval(new, now=now, colleague_name=booking.person.name)
    else:
        tell(new, "handed_to_you", invite="REQUEST", colleague_name=booking.person.name)
    return new


def _check_kept_place(session: Session, colleague: Person, *, now: datetime) -> None:
    """With the handed-over place given up, whether the colleague's partnership may take a free place:
    under the session's lock, so no booking takes it meanwhile. Raises Conflict when the places are kept
    for other partnerships (the caller's transaction then keeps the place with its holder)."""
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if not places_are_kept(session, now=now):
        return
    default = first_partnership_id()
    places = open_places(session, taken=session.bookings.holding_a_place(now).count(), now=now,
                         default_partnership_id=default)
    if places.for_partnership(home_of(colleague, default)) <= 0:
        raise Conflict(f"{colleague.name} cannot have your place: it is one of those kept for another partnership. "
                       + kept_words(session, places))
