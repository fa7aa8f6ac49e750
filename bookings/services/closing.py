"""A session open to the network changed to open only to its own partnership's people.

A place given is not taken away: everyone already holding one (booked, or waiting for their line manager's
approval) keeps it, whichever partnership they come from. The people of other partnerships still on the
waiting list, or holding an open offer of a place, can never be given one now, so they leave the list at
no charge and each is told why, naming the delivering partnership and whom to ask. The places the session
kept for other partnerships go with the change (courses.services.change_session drops them), and any place
so freed goes to the delivering partnership's people waiting, in order.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from bookings.models import Booking
from bookings.services.notices import tell
from bookings.services.rules import end_at_no_charge
from bookings.services.waitlist import promote_from_waitlist
from courses.models import Session
from people.directory import contact_email_of
from people.models import Partnership
from people.partnerships import at_home_in


def from_other_partnerships(session: Session, *, default_partnership_id: int | None = None) -> Q:
    """Bookings of people whose home partnership is not the session's delivering one (a person naming no home
    belongs to the first partnership, as everywhere else)."""
    return ~at_home_in({session.course.partnership_id}, default=default_partnership_id, person="person__")


@dataclass(frozen=True)
class Dropped:
    """Places a session kept for a partnership, dropped."""

    slug: str
    name: str
    places: int


@dataclass(frozen=True)
class Closing:
    """What opening a session only to its partnership does, or did: `keeping` other partnerships' people keep
    their places (booked or waiting for approval); `taken_off` of them leave the waiting list (an open offer
    included); `dropped` the places kept for other partnerships that go."""

    keeping: int = 0
    taken_off: int = 0
    dropped: tuple[Dropped, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.keeping or self.taken_off or self.dropped)

    def words(self, *, done: bool) -> list[str]:
        """What the change will do (`done` False: the page asks the business unit to confirm) or did."""
        said = []
        if self.keeping:
            people = "1 person" if self.keeping == 1 else f"{self.keeping} people"
            keep = ("keeps their place" if self.keeping == 1 else "keep their places") if not done else (
                "kept their place" if self.keeping == 1 else "kept their places")
            said.append(f"{people} of other partnerships {keep}: a place given is not taken away.")
        if self.taken_off:
            people = "1 person" if self.taken_off == 1 else f"{self.taken_off} people"
            verb = ("was" if self.taken_off == 1 else "were") if done else ("is" if self.taken_off == 1 else "are")
            said.append(f"{people} of other partnerships on the waiting list {verb} taken off it, at no charge, "
                        f"and {'each was' if done else 'each is'} emailed why.")
        for gone in self.dropped:
            one = gone.places == 1
            verb = ("was" if one else "were") if done else ("is" if one else "are")
            said.append(f"The {gone.places} place{'' if one else 's'} kept for {gone.name} {verb} dropped.")
        return said

    def as_dict(self) -> dict:
        """For the API's answer (courses.api: `closed_to_network`)."""
        return {"places_kept_by_other_partnerships": self.keeping, "taken_off_waiting_list": self.taken_off,
                "reserved_places_dropped": {d.slug: d.places for d in self.dropped}}


def kept_for_others(session: Session) -> tuple[Dropped, ...]:
    """The places `session` keeps for partnerships other than the delivering one, by partnership name."""
    rows = (session.reservations.exclude(partnership_id=session.course.partnership_id).filter(places__gt=0)
            .order_by("partnership__name").values_list("partnership__slug", "partnership__name", "places"))
    return tuple(Dropped(*row) for row in rows)


def close_to_other_partnerships(session: Session, *, dropped: tuple[Dropped, ...], now: datetime) -> Closing:
    """Take the other partnerships' people waiting on `session` (now open only to its partnership) off its
    waiting list at no charge, telling each why; then give any place freed (an open offer ended, a kept place
    dropped) to the delivering partnership's people waiting. Call under the session's lock, in the
    transaction that changes it (courses.services.change_session); `dropped` says which kept places
    the change dropped (kept_for_others, read before it). Returns what was done."""
    others = session.bookings.filter(from_other_partnerships(session))
    keeping = others.filter(status__in=Booking.HOLDING).count()
    waiting = list(others.select_for_update(of=("self",)).filter(status=Booking.Status.WAITLISTED)
                   .select_related("person", "session__course__partnership").order_by("pk"))
    delivering = Partnership.objects.get(pk=session.course.partnership_id)
    for booking in waiting:
        end_at_no_charge(booking, reason="session opened only to the delivering partnership's people", now=now)
        tell(booking, "closed_to_network", delivering=delivering.name, contact=contact_email_of(delivering))
    promote_from_waitlist(session, now=now)
    return Closing(keeping, len(waiting), dropped)
