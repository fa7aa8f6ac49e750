"""The reads a booking makes under its session's lock, as plain SQL on PostgreSQL.

Every booking of a session waits for the one before it to commit, so what it does while it holds
the lock is the hub's throughput at the busiest moment (bench/contention_bench.py). Building these
reads through the ORM costs more Python than anything else the booking does; written out here they
are two fixed statements, the values bound by the driver (and so kept prepared by PostgreSQL, see
DB_PREPARED_STATEMENTS). On SQLite, the embedded default, the ORM versions beside them run instead;
tests/bookings/test_under_lock.py runs both over bookings in every state and compares the answers.
A third read, the places kept for partnerships, runs only for a session that keeps some (`has_reservations`,
which the lock brings) while they are kept.

The statuses come from bookings.models (LIVE, HOLDING, ...), bound as values, never written here.
"""

from datetime import datetime

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from bookings.models import Booking, holding_q, live_q, status_q, waiting_q
from charging.selectors import RepeatNoShowRule, current_policy, repeat_no_show_rule
from courses.models import Course, Session, SessionReservation
from people.models import Partnership, Person


def _columns(model) -> list:
    return [field for field in model._meta.get_fields() if field.concrete and not field.many_to_many]


def _select_list(model, table: str, prefix: str) -> str:
    """Every column of `model` from `table`, each named `prefix.attname`."""
    return ", ".join(f'{table}."{field.column}" AS "{prefix}.{field.attname}"' for field in _columns(model))


# The session's and course's columns are listed from the models, so a new field comes along.
LOCK_SESSION_SQL = f"""
SELECT {_select_list(Session, "s", "session")}, {_select_list(Course, "c", "course")},
       EXISTS (SELECT 1 FROM courses_course_prerequisites needs
               WHERE needs.from_course_id = s.course_id) AS needs_prerequisites,
       EXISTS (SELECT 1 FROM courses_sessionreservation kept WHERE kept.session_id = s.id) AS has_reservations,
       (SELECT earliest.id FROM people_partnership earliest ORDER BY earliest.id LIMIT 1) AS default_partnership_id,
       policy.repeat_no_shows, policy.repeat_window_months
FROM courses_session s
JOIN courses_course c ON c.id = s.course_id
LEFT JOIN charging_chargingpolicy policy ON policy.partnership_id = c.partnership_id
WHERE s.id = %(session_id)s
FOR UPDATE OF s
"""  # noqa: S608 (the names come from the models, never from input)

COUNT_FACTS_SQL = """
SELECT count(*) FILTER (WHERE session_id = %(session_id)s
                          AND (status = ANY(%(holding)s)
                               OR (status = %(waitlisted)s AND offer_expires_at > %(now)s))) AS taken,
       count(*) FILTER (WHERE session_id = %(session_id)s AND status = %(waitlisted)s) AS waiting,
       count(*) FILTER (WHERE session_id = %(session_id)s AND person_id = %(person_id)s
                          AND status = ANY(%(live)s)) AS live_here,
       count(*) FILTER (WHERE person_id = %(person_id)s AND status = %(no_show)s
                          AND EXISTS (SELECT 1 FROM courses_session other
                                      WHERE other.id = booking.session_id
                                        AND other.starts_at >= %(no_shows_since)s)) AS recent_no_shows
FROM bookings_booking booking
WHERE session_id = %(session_id)s OR (person_id = %(person_id)s AND status = %(no_show)s)
"""


# Each partnership's kept places on the session, and how many of them its people hold (a person with no home
# partnership belongs to the first one, as people.partnerships.home_partnership_id says).
KEPT_PLACES_SQL = f"""
SELECT kept.partnership_id, kept.places,
       (SELECT count(*) FROM bookings_booking booking
        JOIN {Person._meta.db_table} person ON person.id = booking.person_id
        WHERE booking.session_id = kept.session_id
          AND (booking.status = ANY(%(holding)s)
               OR (booking.status = %(waitlisted)s AND booking.offer_expires_at > %(now)s))
          AND COALESCE(person.home_partnership_id, %(default_partnership_id)s) = kept.partnership_id) AS taken
FROM courses_sessionreservation kept
WHERE kept.session_id = %(session_id)s
ORDER BY kept.partnership_id
"""  # noqa: S608 (the table's name comes from the model, never from input)


def _instance(model, values: dict, prefix: str):
    """A model instance from one row's `prefix.attname` columns, each through its field's converters."""
    names, row = [], []
    for field in _columns(model):
        value = values[f"{prefix}.{field.attname}"]
        for convert in field.get_db_converters(connection):
            value = convert(value, field, connection)
        names.append(field.attname)
        row.append(value)
    return model.from_db(connection.alias, names, row)


def _rule(repeat_no_shows: int | None, repeat_window_months: int | None, partnership_id: int) -> RepeatNoShowRule:
    if repeat_no_shows is None or repeat_window_months is None:  # no policy yet: made with the defaults
        policy = current_policy(partnership_id)
        return RepeatNoShowRule(policy.repeat_no_shows, policy.repeat_window_months)
    return RepeatNoShowRule(repeat_no_shows, repeat_window_months)


def lock_session_sql(session_id: int) -> tuple[Session, RepeatNoShowRule]:
    with connection.cursor() as cursor:
        cursor.execute(LOCK_SESSION_SQL, {"session_id": session_id})
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    if row is None:
        raise Session.DoesNotExist(f"No session {session_id}.")
    values = dict(zip(names, row, strict=True))
    session = _instance(Session, values, "session")
    session.course = _instance(Course, values, "course")
    session.needs_prerequisites = values["needs_prerequisites"]
    session.has_reservations = values["has_reservations"]
    session.default_partnership_id = values["default_partnership_id"]
    return session, _rule(values["repeat_no_shows"], values["repeat_window_months"], session.course.partnership_id)


def lock_session_orm(session_id: int) -> tuple[Session, RepeatNoShowRule]:
    needs = Exists(Course.prerequisites.through.objects.filter(from_course_id=OuterRef("course_id")))
    kept = Exists(SessionReservation.objects.filter(session_id=OuterRef("pk")))
    first = Subquery(Partnership.objects.order_by("pk").values("pk")[:1], output_field=IntegerField())
    session = (Session.objects.select_for_update(of=("self",)).select_related("course")
               .annotate(needs_prerequisites=needs, has_reservations=kept, default_partnership_id=first)
               .get(pk=session_id))
    return session, repeat_no_show_rule(session.course.partnership_id)


def count_facts_sql(session_id: int, person_id: int, now: datetime, no_shows_since: datetime) -> dict[str, int]:
    values = {"session_id": session_id, "person_id": person_id, "now": now, "no_shows_since": no_shows_since,
              "holding": list(Booking.HOLDING), "live": list(Booking.LIVE),
              "waitlisted": Booking.Status.WAITLISTED.value, "no_show": Booking.Status.NO_SHOW.value}
    with connection.cursor() as cursor:
        cursor.execute(COUNT_FACTS_SQL, values)
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    return dict(zip(names, row, strict=True))


def count_facts_orm(session_id: int, person_id: int, now: datetime, no_shows_since: datetime) -> dict[str, int]:
    here, mine = Q(session_id=session_id), Q(person_id=person_id)
    no_shows = mine & status_q(Booking.Status.NO_SHOW)  # of the person's other bookings, only these count
    # Each no-show's session is looked up by its key, rather than every session joined to every row.
    recent = Exists(Session.objects.filter(pk=OuterRef("session_id"), starts_at__gte=no_shows_since))
    return Booking.objects.filter(here | no_shows).aggregate(
        taken=Count("pk", filter=here & holding_q(now)),
        waiting=Count("pk", filter=here & waiting_q()),
        live_here=Count("pk", filter=here & mine & live_q()),
        recent_no_shows=Count("pk", filter=no_shows & recent),
    )


def kept_places_sql(session_id: int, now: datetime, default_partnership_id: int) -> dict[int, tuple[int, int]]:
    values = {"session_id": session_id, "now": now, "default_partnership_id": default_partnership_id,
              "holding": list(Booking.HOLDING), "waitlisted": Booking.Status.WAITLISTED.value}
    with connection.cursor() as cursor:
        cursor.execute(KEPT_PLACES_SQL, values)
        return {partnership_id: (places, taken) for partnership_id, places, taken in cursor.fetchall()}


def _kept_rows(session_ids: list[int], now: datetime, default_partnership_id: int):
    """(session id, partnership id, places kept, places its people hold at `now`) for each reservation."""
    theirs = (Booking.objects.filter(holding_q(now), session_id=OuterRef("session_id"))
              .annotate(home=Coalesce("person__home_partnership_id", Value(default_partnership_id)))
              .filter(home=OuterRef("partnership_id"))
              .order_by().values("session_id").annotate(n=Count("pk")).values("n"))
    return (SessionReservation.objects.filter(session_id__in=session_ids)
            .annotate(taken=Coalesce(Subquery(theirs, output_field=IntegerField()), Value(0)))
            .order_by("session_id", "partnership_id").values_list("session_id", "partnership_id", "places", "taken"))


def kept_places_orm(session_id: int, now: datetime, default_partnership_id: int) -> dict[int, tuple[int, int]]:
    rows = _kept_rows([session_id], now, default_partnership_id)
    return {partnership_id: (places, taken) for _, partnership_id, places, taken in rows}


def lock_session(session_id: int) -> tuple[Session, RepeatNoShowRule]:
    """The session, its row locked until the transaction ends, with its course, `needs_prerequisites`
    (whether its course needs others first), `has_reservations` (whether it keeps places for partnerships)
    and `default_partnership_id` (the first partnership's, a person's home when they name none); and the
    repeat no-show rule of the delivering partnership's (the course's) charging policy, which the lock does not
    cover (it is read, not decided on). Raises Session.DoesNotExist for an unknown id."""
    if connection.vendor == "postgresql":
        return lock_session_sql(session_id)
    return lock_session_orm(session_id)


def count_facts(session_id: int, person_id: int, *, now: datetime, no_shows_since: datetime) -> dict[str, int]:
    """What booking decides on, in one statement over the session's and the person's bookings: places
    `taken` (holding a place at `now`), people `waiting`, whether the person already has a live booking
    here (`live_here`), and their no-shows on sessions since `no_shows_since`. Run under the lock."""
    if connection.vendor == "postgresql":
        return count_facts_sql(session_id, person_id, now, no_shows_since)
    return count_facts_orm(session_id, person_id, now, no_shows_since)


def kept_places(session_id: int, *, now: datetime, default_partnership_id: int) -> dict[int, tuple[int, int]]:
    """{partnership id: (places kept for it, places its people hold at `now`)} for each partnership the
    session keeps places for; a person with no home partnership counts as `default_partnership_id`'s. Run
    under the session's lock, so the answer holds until the booking is made."""
    if connection.vendor == "postgresql":
        return kept_places_sql(session_id, now, default_partnership_id)
    return kept_places_orm(session_id, now, default_partnership_id)


def kept_places_of(session_ids: list[int], *, now: datetime,
                   default_partnership_id: int) -> dict[int, dict[int, tuple[int, int]]]:
    """What `kept_places` answers, for many sessions in one statement, {session id: {partnership id: (places
    kept, places its people hold)}}: for the listings (the calendar, a course's page, the sessions API), which
    read without the lock, so the answer may be a moment old. The same counting as the booking's."""
    found: dict[int, dict[int, tuple[int, int]]] = {}
    for session_id, partnership_id, places, taken in _kept_rows(session_ids, now, default_partnership_id):
        found.setdefault(session_id, {})[partnership_id] = (places, taken)
    return found
