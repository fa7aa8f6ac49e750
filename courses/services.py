"""Writes for the catalogue, sessions and the trainer pool.

Every rule about a course or a session lives here once; the API serializers, the
business unit's forms and the admin all call these functions.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from bookings.selectors import places_held
from bookings.services import (
    close_to_other_partnerships,
    end_bookings_for_cancelled_session,
    kept_for_others,
    promote_from_waitlist,
    session_changed,
)
from bookings.under_lock import lock_session
from courses.models import (
    SUMMARY_MAX,
    THEME_MAX,
    TITLE_MAX,
    Course,
    Session,
    SessionPart,
    SessionReservation,
    TrainerAllocation,
    TrainerPoolMembership,
)
from lib.dates import LONDON, require_aware, to_london, working_days_before
from lib.errors import Conflict, Invalid
from lib.text import check_web_address, has_unreadable, plain_text, within
from people.models import Partnership, Person
from people.partnerships import default_partnership, is_network
from people.roles import TRAINER
from people.services import grant_role

BOOKING_CLOSE_HOUR = time(17, 0)


@dataclass(frozen=True)
class Part:
    starts_at: datetime
    ends_at: datetime


# --- Courses -----------------------------------------------------------------------------


def check_course_fields(*, title: str | None = None, level: str | None = None, duration_minutes=None,
                        theme: str | None = None, summary: str | None = None,
                        learning_outcomes: str | None = None) -> None:
    for field, value, limit, label in (("theme", theme, THEME_MAX, "The theme"), ("summary", summary, SUMMARY_MAX,
                                       "The summary"), ("learning_outcomes", learning_outcomes, SUMMARY_MAX,
                                                        "The learning outcomes")):
        if isinstance(value, str):
            within(value, limit, label=label, field=field)
    if title is not None:
        if not title.strip():
            raise Invalid("Enter the course title.", field="title")
        if len(title) > TITLE_MAX:
            raise Invalid(f"The title must be {TITLE_MAX} characters or fewer (it has {len(title)}).", field="title")
        plain_text(title, label="The title", field="title")
    if level is not None and level not in Course.Level.values:
        raise Invalid(f"Unknown level {level!r}: choose basic, intermediate or masterclass.", field="level")
    if duration_minutes is not None and (not isinstance(duration_minutes, int) or duration_minutes < 1):
        raise Invalid("The duration must be a whole number of minutes, at least 1.", field="duration_minutes")


def check_prerequisites(course: Course | None, prerequisites: Iterable[Course]) -> None:
    """Refuse prerequisites that would make a course require itself, directly or through others."""
    prerequisites = list(prerequisites)
    if course is None or course.pk is None:
        return  # a new course has no dependants yet, so it cannot close a cycle
    if any(p.pk == course.pk for p in prerequisites):
        raise Invalid("A course cannot be its own prerequisite.", field="prerequisites")
    edges: dict[int, set[int]] = {}
    for from_id, to_id in Course.prerequisites.through.objects.values_list("from_course_id", "to_course_id"):
        edges.setdefault(from_id, set()).add(to_id)
    edges[course.pk] = {p.pk for p in prerequisites}
    # Walk from each new prerequisite: reaching the course again means a cycle.
    stack, seen = list(edges[course.pk]), set()
    while stack:
        current = stack.pop()
        if current == course.pk:
            titles = ", ".join(sorted(p.title for p in prerequisites))
            raise Invalid(
                f"That would make a cycle: {course.title} would end up requiring itself through {titles}.",
                field="prerequisites",
            )
        if current in seen:
            continue
        seen.add(current)
        stack.extend(edges.get(current, ()))


def check_title_free(title: str, partnership: Partnership | None, *, course: Course | None = None) -> None:
    """A title names one course of its partnership (in any capitals); other partnerships may use it too.

    `partnership` None means the first, as for a course saved naming none; `course` is the one being changed."""
    partnership = partnership or default_partnership()
    taken = Course.objects.filter(partnership=partnership, title__iexact=title)
    if course is not None and course.pk is not None:
        taken = taken.exclude(pk=course.pk)
    if not taken.exists():
        return
    if is_network():
        raise Invalid(f"{partnership.name} already has a course called {title!r}: give this one another title, "
                      "or change that course instead.", field="title")
    raise Invalid(f"A course called {title!r} already exists.", field="title")


@transaction.atomic
def create_course(*, prerequisites: Sequence[Course] = (), **fields) -> Course:
    check_course_fields(
        title=fields.get("title", ""), level=fields.get("level", ""), duration_minutes=fields.get("duration_minutes"),
        theme=fields.get("theme"), summary=fields.get("summary"), learning_outcomes=fields.get("learning_outcomes"),
    )
    check_title_free(fields["title"], fields.get("partnership"))
    course = Course.objects.create(**fields)
    course.prerequisites.set(prerequisites)
    return course


@transaction.atomic
def change_course(course: Course, *, prerequisites: Sequence[Course] | None = None, **fields) -> Course:
    check_course_fields(
        title=fields.get("title"), level=fields.get("level"), duration_minutes=fields.get("duration_minutes"),
        theme=fields.get("theme"), summary=fields.get("summary"), learning_outcomes=fields.get("learning_outcomes"),
    )
    if "title" in fields:
        check_title_free(fields["title"], course.partnership, course=course)
    if prerequisites is not None:
        check_prerequisites(course, prerequisites)
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    if prerequisites is not None:
        course.prerequisites.set(prerequisites)
    return course


# --- The trainer pool ------------------------------------------------------------------------


def add_to_pool(course: Course, person: Person) -> TrainerPoolMembership:
    """Add a trainer to a course's pool, delivering for their own agency."""
    if person.agency_id is None:
        raise Invalid(f"{person} has no agency, so cannot deliver for one.", field="person")
    if course.pool.filter(person=person).exists():
        raise Conflict(f"{person} is already in the pool for {course}.", field="person")

    grant_role(person, TRAINER, partnership=course.partnership)  # they deliver for its partnership
    return TrainerPoolMembership.objects.create(course=course, person=person, agency=person.agency)


def remove_from_pool(course: Course, person: Person, *, now: datetime | None = None) -> None:
    """Take a trainer out of a course's pool; not while they are allocated to a future session of it."""
    now = now or timezone.now()
    membership = course.pool.filter(person=person).first()
    if membership is None:
        raise Invalid(f"{person} is not in the pool for {course}.", field="person")
    if TrainerAllocation.objects.filter(
        person=person, session__course=course, session__status=Session.Status.SCHEDULED, session__ends_at__gt=now
    ).exists():
        raise Conflict(f"{person} is allocated to a future session of {course}: take them off it first.")
    membership.delete()


# --- Sessions -------------------------------------------------------------------------------------


def check_parts(parts: Sequence[Part]) -> list[Part]:
    """At least one part; each aware and ending after it starts; none overlapping another."""
    if not parts:
        raise Invalid("A session needs at least one dated part.", field="parts")
    for index, part in enumerate(parts, start=1):
        require_aware(part.starts_at, field="parts")
        require_aware(part.ends_at, field="parts")
        if part.ends_at <= part.starts_at:
            raise Invalid(
                f"Part {index} ends ({to_london(part.ends_at):%d %b %Y %H:%M}) before it starts "
                f"({to_london(part.starts_at):%d %b %Y %H:%M}).",
                field="parts",
            )
    ordered = sorted(parts, key=lambda p: p.starts_at)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_at < earlier.ends_at:
            raise Invalid(
                f"Two parts overlap: one runs until {to_london(earlier.ends_at):%d %b %Y %H:%M} "
                f"and another starts at {to_london(later.starts_at):%d %b %Y %H:%M}.",
                field="parts",
            )
    return ordered


def check_delivery(format: str, venue: str, online_url: str) -> None:
    if format not in Session.Format.values:
        raise Invalid(f"Unknown format {format!r}: choose in_person, online or blended.", field="format")
    if format in (Session.Format.IN_PERSON, Session.Format.BLENDED) and not venue.strip():
        raise Invalid("An in-person or blended session needs a venue.", field="venue")
    if format in (Session.Format.ONLINE, Session.Format.BLENDED) and not online_url.strip():
        raise Invalid("An online or blended session needs an online joining link.", field="online_url")
    problem = check_web_address(online_url) if online_url else None
    if problem:
        raise Invalid(problem.replace("The address", "The joining link"), field="online_url")
    within(venue.strip(), 200, label="The venue", field="venue")


def check_capacity(capacity) -> None:
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1:
        raise Invalid("The capacity must be a whole number of places, at least 1.", field="capacity")


def check_trainers(course: Course, people: Sequence[Person], parts: Sequence[Part], *, exclude: Session | None = None):
    """Each trainer must be in the course's pool and free for every part of the session."""
    members = {m.person_id: m for m in course.pool.select_related("agency")}
    for person in people:
        if person.pk not in members:
            raise Invalid(f"{person} is not in the trainer pool for {course}.", field="trainers")
        clashes = SessionPart.objects.filter(
            session__allocations__person=person, session__status=Session.Status.SCHEDULED
        )
        if exclude is not None and exclude.pk:
            clashes = clashes.exclude(session=exclude)
        for part in parts:
            clash = (
                clashes.filter(starts_at__lt=part.ends_at, ends_at__gt=part.starts_at)
                .select_related("session__course")
                .first()
            )
            if clash:
                raise Conflict(
                    f"{person} is already delivering {clash.session.course} at an overlapping time "
                    f"({to_london(clash.starts_at):%d %b %Y %H:%M}).",
                    field="trainers",
                )
    return [members[p.pk] for p in people]


def default_booking_closes_at(starts_at: datetime, working_days: int | None = None) -> datetime:
    """Bookings close at 17:00 London on the working day `working_days` (default 3) before the start."""
    from django.conf import settings

    n = settings.BOOKING_CLOSES_WORKING_DAYS if working_days is None else working_days
    day = working_days_before(to_london(starts_at).date(), n)
    return datetime.combine(day, BOOKING_CLOSE_HOUR, tzinfo=LONDON)


def _check_window(opens_at: datetime, closes_at: datetime, starts_at: datetime) -> None:
    require_aware(opens_at, field="booking_opens_at")
    require_aware(closes_at, field="booking_closes_at")
    if closes_at <= opens_at:
        raise Invalid("Booking must close after it opens.", field="booking_closes_at")
    if closes_at > starts_at:
        raise Invalid("Booking must close before the session starts.", field="booking_closes_at")


KEPT_FOR_MAX = 50  # more partnerships than a network has: a longer list is refused before any lookup


def shown(slug) -> str:
    """A slug someone sent, safe to repeat in an error: printable, quoted, and short."""
    text = repr(str(slug))
    return text if len(text) <= 42 else text[:40] + "…'"


def check_kept_places(course: Course, *, capacity: int, open_to: str, reserved_places: Mapping | None,
                      reserved_until: datetime | None, starts_at: datetime) -> dict[Partnership, int]:
    """Who may book, and the places kept for partnerships: `reserved_places` {partnership slug: places}
    (0 keeps none), no more in all than the capacity, and for a partnership other than the delivering one
    (the course's) only when the session is open to the network; `reserved_until` (empty: the booking
    close) no later than the start. Returns {partnership: places} for those keeping any. Raises Invalid."""
    if open_to not in Session.OpenTo.values:
        raise Invalid(f"Unknown open_to {shown(open_to)}: choose partnership or network.", field="open_to")
    if reserved_until is not None:
        require_aware(reserved_until, field="reserved_until")
        if reserved_until > starts_at:
            raise Invalid(f"Reserved places must be released by the time the session starts "
                          f"({to_london(starts_at):%-d %B %Y at %H:%M}): choose an earlier reserved_until.",
                          field="reserved_until")
    reserved_places = reserved_places or {}
    if len(reserved_places) > KEPT_FOR_MAX:
        raise Invalid(f"Reserve places for {KEPT_FOR_MAX} partnerships or fewer.", field="reserved_places")
    slugs = [slug for slug in reserved_places if isinstance(slug, str) and len(slug) <= 100
             and not has_unreadable(slug)]  # nothing a lookup could choke on
    known = {p.slug: p for p in Partnership.objects.filter(slug__in=slugs)}
    kept: dict[Partnership, int] = {}
    for slug, places in reserved_places.items():
        if slug not in known:
            choices = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True))
            raise Invalid(f"There is no partnership {shown(slug)} to reserve places for: choose from {choices}.",
                          field="reserved_places")
        if not isinstance(places, int) or isinstance(places, bool) or places < 0:
            raise Invalid(f"The places reserved for {known[slug].name} must be a whole number, 0 or more.",
                          field="reserved_places")
        if places:
            kept[known[slug]] = places
    total = sum(kept.values())
    if total > capacity:
        raise Invalid(f"{total} places are reserved for partnerships but the session has only {capacity}: reserve "
                      "no more than its places.", field="reserved_places")
    if open_to == Session.OpenTo.PARTNERSHIP and any(p.pk != course.partnership_id for p in kept):
        raise Invalid("Places can be reserved for another partnership only on a session open to the network: "
                      f"open it to the network, or reserve places only for {course.partnership.name}.",
                      field="reserved_places")
    return kept


def _save_kept(session: Session, kept: Mapping[Partnership, int]) -> None:
    session.reservations.all().delete()
    SessionReservation.objects.bulk_create(
        [SessionReservation(session=session, partnership=p, places=n) for p, n in kept.items()])


def _save_parts(session: Session, parts: Sequence[Part]) -> None:
    session.parts.all().delete()
    SessionPart.objects.bulk_create(
        [SessionPart(session=session, starts_at=p.starts_at, ends_at=p.ends_at) for p in parts]
    )


def _allocate(session: Session, memberships) -> None:
    session.allocations.exclude(person__in=[m.person_id for m in memberships]).delete()
    existing = set(session.allocations.values_list("person_id", flat=True))
    TrainerAllocation.objects.bulk_create(
        [
            TrainerAllocation(session=session, person_id=m.person_id, agency_id=m.agency_id)
            for m in memberships
            if m.person_id not in existing
        ]
    )


@transaction.atomic
def schedule_session(
    course: Course,
    *,
    capacity: int,
    parts: Sequence[Part],
    format: str = Session.Format.IN_PERSON,
    venue: str = "",
    online_url: str = "",
    trainers: Sequence[Person] = (),
    booking_opens_at: datetime | None = None,
    booking_closes_at: datetime | None = None,
    open_to: str = Session.OpenTo.PARTNERSHIP,
    reserved_places: Mapping[str, int] | None = None,
    reserved_until: datetime | None = None,
    now: datetime | None = None,
) -> Session:
    """Schedule a session of `course`, open to the delivering partnership's people or the network, keeping
    `reserved_places` {slug: places} for partnerships until `reserved_until` (empty: the booking close).
    Raises Invalid or Conflict naming the rule broken."""
    now = now or timezone.now()
    check_capacity(capacity)
    check_delivery(format, venue, online_url)
    ordered = check_parts(parts)
    opens = booking_opens_at or now
    closes = booking_closes_at or default_booking_closes_at(ordered[0].starts_at)
    if booking_closes_at is None and closes <= opens:
        closes = ordered[0].starts_at  # a session very soon: booking stays open until it starts
    _check_window(opens, closes, ordered[0].starts_at)
    kept = check_kept_places(course, capacity=capacity, open_to=open_to, reserved_places=reserved_places,
                             reserved_until=reserved_until, starts_at=ordered[0].starts_at)
    memberships = check_trainers(course, trainers, ordered)
    session = Session.objects.create(
        course=course,
        capacity=capacity,
        open_to=open_to,
        reserved_until=reserved_until,
        format=format,
        venue=venue,
        online_url=online_url,
        booking_opens_at=opens,
        booking_closes_at=closes,
        starts_at=ordered[0].starts_at,
        ends_at=ordered[-1].ends_at,
    )
    _save_parts(session, ordered)
    _allocate(session, memberships)
    _save_kept(session, kept)
    return session


def _check_change(session: Session, parts: Sequence[Part] | None, fields: dict) -> list[Part]:
    """The checks a change must pass (not cancelled, capacity not below the places held, delivery, booking
    window); returns the session's parts in order, as they will be."""
    if session.status == Session.Status.CANCELLED:
        raise Conflict("This session has been cancelled and can no longer be changed.")
    if "capacity" in fields:
        check_capacity(fields["capacity"])
        held = places_held(session)
        if fields["capacity"] < held:
            raise Conflict(
                f"{held} places are already taken, so the capacity cannot go below {held}.", field="capacity"
            )
    ordered = (
        check_parts(parts) if parts is not None else list(Part(p.starts_at, p.ends_at) for p in session.parts.all())
    )
    check_delivery(
        fields.get("format", session.format),
        fields.get("venue", session.venue),
        fields.get("online_url", session.online_url),
    )
    _check_window(
        fields.get("booking_opens_at", session.booking_opens_at),
        fields.get("booking_closes_at", session.booking_closes_at),
        ordered[0].starts_at,
    )
    return ordered


def _check_kept_change(session: Session, ordered: Sequence[Part], reserved_places, fields: dict):
    """The places kept as they will be after the change (None when the change leaves them alone)."""
    if reserved_places is None and not {"capacity", "open_to", "reserved_until"} & set(fields) and (
            "parts" not in fields):
        return None
    if reserved_places is None:
        reserved_places = {r.partnership.slug: r.places for r in session.reservations.select_related("partnership")}
    return check_kept_places(
        session.course, capacity=fields.get("capacity", session.capacity),
        open_to=fields.get("open_to", session.open_to), reserved_places=reserved_places,
        reserved_until=fields.get("reserved_until", session.reserved_until), starts_at=ordered[0].starts_at)


@transaction.atomic
def change_session(session: Session, *, parts: Sequence[Part] | None = None, trainers=None,
                   reserved_places: Mapping[str, int] | None = None, now: datetime | None = None,
                   **fields) -> Session:
    """Change a session's times, venue, link, capacity, window, trainers, who may book (`open_to`), or the
    places kept for partnerships (`reserved_places` {slug: places}, replacing those kept; `reserved_until`).

    The capacity never drops below the places already held, nor below the places reserved. Everyone booked
    hears of any change to times, venue or link (the SEQUENCE of their invite rises). Places freed for
    those waiting (more capacity, fewer kept) go to them at once.

    A session open to the network changed to open only to its partnership (bookings.services.closing): other
    partnerships' people holding a place keep it; those waiting leave the list at no charge and are told why;
    the places kept for other partnerships go, and must be left out of `reserved_places` (a change that would
    keep them is refused, so none is dropped unasked). The returned session's `closing` says what was done
    (None for any other change). All under the session's lock, the one a booking takes, so no booking slips in between.
    """
    now = now or timezone.now()
    session, _ = lock_session(session.pk)  # the booking's lock (bookings.under_lock): nobody books meanwhile
    closing = (fields.get("open_to") == Session.OpenTo.PARTNERSHIP and session.open_to == Session.OpenTo.NETWORK)
    ordered = _check_change(session, parts, fields)
    dropped = kept_for_others(session) if closing else ()
    kept = _check_kept_change(session, ordered, reserved_places, fields | ({"parts": parts} if parts else {}))
    memberships = None
    if trainers is not None or parts is not None:
        people = trainers if trainers is not None else [a.person for a in session.allocations.select_related("person")]
        memberships = check_trainers(session.course, people, ordered, exclude=session)
    noticeable = parts is not None or any(
        name in fields and fields[name] != getattr(session, name) for name in ("venue", "online_url", "format")
    )
    for name, value in fields.items():
        setattr(session, name, value)
    session.starts_at, session.ends_at = ordered[0].starts_at, ordered[-1].ends_at
    if noticeable:
        session.sequence += 1
    session.save()
    if parts is not None:
        _save_parts(session, ordered)
    if memberships is not None:
        _allocate(session, memberships)
    if kept is not None:
        _save_kept(session, kept)
    if noticeable:
        session_changed(session)
    session.closing = None
    if closing:
        session.closing = close_to_other_partnerships(session, dropped=dropped, now=now)
    elif kept is not None:
        promote_from_waitlist(session, now=now)
    return session


@transaction.atomic
def cancel_session(session: Session, *, reason: str = "", now: datetime | None = None) -> Session:
    """Cancel a session: it leaves the calendar's bookable list and every booking ends at no charge."""

    now = now or timezone.now()
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise Conflict("This session is already cancelled.")
    session.status = Session.Status.CANCELLED
    session.cancelled_at = now
    session.cancellation_reason = within(reason.strip(), 300, label="The reason", field="reason")
    session.sequence += 1
    session.save()
    end_bookings_for_cancelled_session(session, now=now)
    return session
