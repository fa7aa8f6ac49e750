"""Which places a person may take: the session must be open to them (open to the delivering partnership's
people, or to the whole network), and the places it keeps for partnerships go only to those partnerships'
people until `reserved_until` (empty: the booking close). After that moment the unused kept places are
everyone's: the rule reads the clock, so it holds even if the task that offers those places to the waiting
list (waitlist.release_kept_places) runs late. Booking, the waiting list, the hand-over and the session page
all ask here, so each rule and its words live once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from bookings.under_lock import kept_places
from courses.models import Session
from lib.dates import to_london
from people.models import Partnership, default_partnership_pk


@dataclass
class Places:
    """A session's free places at one moment: `free` in all, and `kept` {partnership id: kept places its
    people have not taken yet} while the session keeps places (empty once they are released)."""

    free: int
    kept: dict[int, int] = field(default_factory=dict)

    def for_partnership(self, partnership_id: int) -> int:
        """The free places a person of this partnership may take: its own kept places, and those kept for
        no partnership. Never more than the free places, so the session is never oversold."""
        others = sum(n for kept_for, n in self.kept.items() if kept_for != partnership_id)
        return max(self.free - others, 0)

    def take(self, partnership_id: int) -> None:
        """A person of this partnership takes a place: one of its kept places while it has any."""
        self.free -= 1
        if self.kept.get(partnership_id, 0) > 0:
            self.kept[partnership_id] -= 1


def home_of(person, default_partnership_id: int) -> int:
    """The person's home partnership; the first one (`default_partnership_id`) when they name none."""
    return person.home_partnership_id or default_partnership_id


def first_partnership_id() -> int:
    return default_partnership_pk()


def kept_until(session: Session) -> datetime:
    """When the session's unused kept places join the general pool: `reserved_until`, else the booking close."""
    return session.reserved_until or session.booking_closes_at


def places_are_kept(session: Session, *, now: datetime) -> bool:
    return now < kept_until(session)


def open_places(session: Session, *, taken: int, now: datetime, default_partnership_id: int,
                has_reservations: bool = True) -> Places:
    """The session's free places at `now` (capacity less `taken`, the places held), and the kept places
    each partnership's people have not taken yet while they are kept. Call under the session's lock when
    a place is to be given. `has_reservations=False` (the lock says so) saves asking."""
    if not has_reservations or not places_are_kept(session, now=now):
        return places_from(session, taken=taken, found={})
    return places_from(session, taken=taken,
                       found=kept_places(session.pk, now=now, default_partnership_id=default_partnership_id))


def places_from(session: Session, *, taken: int, found: dict[int, tuple[int, int]]) -> Places:
    """The session's free places from `taken` and `found` ({partnership id: (places kept, places its people
    hold)}, empty once the kept places are released): what open_places decides, for a reader that counted
    many sessions at once (bookings.selectors.places_for_viewer)."""
    free = max(session.capacity - taken, 0)
    return Places(free, {kept_for: places - theirs for kept_for, (places, theirs) in found.items() if places > theirs})


def not_open_words(delivering: str) -> str:
    return (f"This session is open only to people of {delivering}, not to the rest of the network: "
            "look for a session open to the network, or one of your own partnership's.")


def why_not_open_to(session: Session, home_partnership_id: int | None) -> str | None:
    """Why a person of this home partnership may not book the session (it is open only to the delivering
    partnership's people, and they are not one of them), or None when they may. The words name the
    partnership; the same go in the 403 and on the session page."""
    if session.open_to == Session.OpenTo.NETWORK or home_partnership_id == session.course.partnership_id:
        return None
    return not_open_words(Partnership.objects.get(pk=session.course.partnership_id).name)


def kept_words(session: Session, places: Places) -> str:
    """What to say when every free place is kept for other partnerships."""
    names = list(Partnership.objects.filter(pk__in=places.kept).order_by("name").values_list("name", flat=True))
    return (f"The places left on this session are kept for people of {' and '.join(names)} until "
            f"{to_london(kept_until(session)):%-d %B %Y at %H:%M}.")
