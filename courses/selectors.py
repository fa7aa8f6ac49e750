"""Reads for the catalogue and the calendar, with a constant number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from bookings.models import Booking
from bookings.selectors import places_held, with_booking_counts
from courses.models import Course, Session, SessionReservation, TrainerAllocation
from lib.dates import month_bounds
from people.permissions import may


@dataclass
class CalendarFilters:
    level: str = ""
    theme: str = ""
    format: str = ""
    month: str = ""  # YYYY-MM
    course: int | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    include_past: bool = False
    include_cancelled: bool = False


def sessions_with_details(sessions: QuerySet | None = None) -> QuerySet:
    sessions = Session.objects.all() if sessions is None else sessions
    return with_booking_counts(
        sessions.select_related("course__partnership").prefetch_related(
            "parts",
            Prefetch("reservations", queryset=SessionReservation.objects.select_related("partnership")),
            Prefetch(
                "allocations",
                queryset=TrainerAllocation.objects.select_related("person", "agency").order_by("person__name"),
            ),
        )
    )


def programme_sessions(*, now: datetime) -> QuerySet:
    """Scheduled sessions not yet over, soonest first, with places taken, the queue and the trainers:
    the business unit's view of what is coming up, in a fixed number of queries."""
    return sessions_with_details(Session.objects.scheduled().filter(ends_at__gte=now)).order_by("starts_at", "pk")


def sessions_for_calendar(filters: CalendarFilters, *, now: datetime | None = None) -> QuerySet:
    """Sessions for the public calendar and the sessions API, filtered, soonest first."""
    now = now or timezone.now()
    sessions = Session.objects.all()
    if not filters.include_cancelled:
        sessions = sessions.scheduled()
    if not filters.include_past:
        sessions = sessions.filter(ends_at__gte=now)
    if filters.level:
        sessions = sessions.filter(course__level=filters.level)
    if filters.theme:
        sessions = sessions.filter(course__theme__iexact=filters.theme)
    if filters.format:
        sessions = sessions.filter(format=filters.format)
    if filters.course:
        sessions = sessions.filter(course_id=filters.course)
    if filters.month:
        year, month = (int(x) for x in filters.month.split("-"))
        start, end = month_bounds(year, month)
        sessions = sessions.filter(starts_at__gte=start, starts_at__lt=end)
    if filters.starts_after:
        sessions = sessions.filter(starts_at__gte=filters.starts_after)
    if filters.starts_before:
        sessions = sessions.filter(starts_at__lt=filters.starts_before)
    return sessions_with_details(sessions).order_by("starts_at", "pk")


def themes() -> list[str]:
    return list(Course.objects.filter(is_active=True).order_by("theme").values_list("theme", flat=True).distinct())


def supporting_agencies(session: Session) -> list[str]:
    """The organisations supporting delivery (from the prefetched allocations)."""
    names: list[str] = []
    for allocation in session.allocations.all():
        if allocation.agency.name not in names:
            names.append(allocation.agency.name)
    return names


def places_left(session: Session) -> int:
    held = getattr(session, "held", None)
    if held is None:
        held = places_held(session)
    return max(session.capacity - held, 0)


def link_visible_for(person, sessions) -> set[int]:
    """Ids of the sessions whose joining link this person may see (one query)."""
    if not person.is_authenticated:
        return set()
    managed = {s.pk for s in sessions if may(person, "manage_sessions", s)}  # their partnerships' sessions
    ids = [s.pk for s in sessions if s.pk not in managed]
    booked = set(
        Booking.objects.filter(person=person, session_id__in=ids).holding_a_place().values_list("session_id", flat=True)
    )
    trainers = {s.pk for s in sessions if any(a.person_id == person.pk for a in s.allocations.all())}
    return managed | booked | trainers


def calendar_for(sessions: QuerySet, person, *, network: bool, partnership=None) -> QuerySet:
    """The sessions of the calendar that `person` (signed in or not) sees, delivered by `partnership` if named.

    A hub of one partnership shows everything, as it always has. On a network hub the calendar at / shows the
    sessions open to the whole network and, signed in, those of the person's home partnership; a partnership's
    own page (`partnership` given) shows all that partnership's sessions, each saying whom it is open to.
    """
    from people.partnerships import sessions_open_to

    if not network:
        return sessions
    sessions = sessions.select_related("course__partnership")
    if partnership is not None:
        return sessions.filter(course__partnership=partnership)
    if person is None or not person.is_authenticated:
        return sessions.filter(open_to=Session.OpenTo.NETWORK)
    return sessions.filter(sessions_open_to(person))
