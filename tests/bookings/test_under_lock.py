"""bookings.under_lock: the booking's reads under its session's lock, plain SQL on PostgreSQL.

The equivalence tests run the SQL and the ORM version beside it over bookings in every state and
compare the answers (on PostgreSQL; on SQLite only the ORM runs, and the rest of the tests hold).
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction

from bookings.models import Booking
from bookings.under_lock import (
    count_facts,
    count_facts_orm,
    count_facts_sql,
    lock_session,
    lock_session_orm,
    lock_session_sql,
)
from charging.selectors import current_policy, repeat_no_show_rule
from courses.models import Course, Session
from lib.dates import london

NOW = london(2030, 2, 1, 10, 0)
ON_POSTGRESQL = pytest.mark.postgres


@pytest.fixture
def bookings_in_every_state(make_session, make_course, make_person, halton, practitioner, colleague, outsider):
    """One session with a booking in each state, and the practitioner's no-shows on earlier sessions."""
    session = make_session(capacity=5)
    others = [make_person(f"{name}@halton.gov.uk", halton) for name in ("wait", "gone", "late", "came", "part")]
    statuses = ["confirmed", "pending_approval", "waitlisted", "cancelled", "late_cancelled", "attended", "partial"]
    for person, status in zip([practitioner, colleague, *others], statuses, strict=True):
        Booking.objects.create(session=session, person=person, status=status, booked_at=NOW)
    Booking.objects.create(session=session, person=outsider, status="waitlisted", booked_at=NOW,
                           offer_expires_at=NOW + timedelta(hours=2))  # an open offer holds a place
    earlier = [make_session(starts_at=london(2029, month, 10, 9, 30), now=london(2028, 12, 1, 9, 0),
                            course_=make_course()) for month in (1, 6, 11)]
    for old in earlier:
        Booking.objects.create(session=old, person=practitioner, status="no_show", booked_at=NOW)
    return session


@pytest.mark.parametrize(("since_months", "no_shows"), [(2, 0), (6, 1), (14, 3)])
def test_the_booking_facts_count_every_state_as_the_queryset_defines_it(bookings_in_every_state, practitioner,
                                                                        since_months, no_shows):
    since = NOW - timedelta(days=30 * since_months)
    facts = count_facts(bookings_in_every_state.pk, practitioner.pk, now=NOW, no_shows_since=since)
    assert facts == {"taken": 3, "waiting": 2, "live_here": 1, "recent_no_shows": no_shows}
    # the taken places: confirmed, pending approval and the open offer; waiting: the list, offer included
    assert facts["taken"] == bookings_in_every_state.bookings.holding_a_place(NOW).count()
    assert facts["waiting"] == bookings_in_every_state.bookings.waiting().count()


@ON_POSTGRESQL
@pytest.mark.parametrize("since_months", [2, 6, 14])
def test_the_sql_booking_facts_match_the_orm_in_every_state(bookings_in_every_state, practitioner, colleague,
                                                            outsider, make_person, halton, since_months):
    session = bookings_in_every_state
    since = NOW - timedelta(days=30 * since_months)
    stranger = make_person("new@halton.gov.uk", halton)
    for person in (practitioner, colleague, outsider, stranger):
        for now in (NOW, NOW + timedelta(hours=3)):  # before and after the offer lapses
            for session_id in (session.pk, 2**62):
                values = (session_id, person.pk, now, since)
                assert count_facts_sql(*values) == count_facts_orm(*values)


def _same_session(locked, fresh):
    for field in Session._meta.get_fields():
        if field.concrete and not field.many_to_many:
            assert getattr(locked, field.attname) == getattr(fresh, field.attname), field.name
    for field in Course._meta.get_fields():
        if field.concrete and not field.many_to_many:
            assert getattr(locked.course, field.attname) == getattr(fresh.course, field.attname), field.name


@pytest.mark.parametrize("needs_others", [True, False])
def test_the_locked_session_comes_whole_with_its_course_and_the_rule(make_course, make_session, needs_others):
    prerequisites = [make_course("Intermediate")] if needs_others else []
    course = make_course("Safeguarding Masterclass", level=Course.Level.MASTERCLASS, prerequisites=prerequisites)
    session = make_session(course_=course, capacity=12)
    with transaction.atomic():
        locked, rule = lock_session(session.pk)
    _same_session(locked, Session.objects.select_related("course").get(pk=session.pk))
    assert locked.needs_prerequisites is needs_others
    assert rule == repeat_no_show_rule() == (2, 12)
    assert locked.course.title == "Safeguarding Masterclass"


@ON_POSTGRESQL
def test_the_sql_locked_session_matches_the_orm(make_course, make_session):
    course = make_course("Safeguarding Masterclass", level=Course.Level.MASTERCLASS,
                         prerequisites=[make_course("Intermediate")])
    for session in (make_session(course_=course, capacity=12), make_session(capacity=3)):
        with transaction.atomic():
            by_sql, by_orm = lock_session_sql(session.pk), lock_session_orm(session.pk)
        _same_session(by_sql[0], by_orm[0])
        assert by_sql[0].needs_prerequisites == by_orm[0].needs_prerequisites
        assert by_sql[1] == by_orm[1]
        by_sql[0].save()  # an instance like any other: saving it updates its row
        assert Session.objects.filter(pk=session.pk).count() == 1


@ON_POSTGRESQL
def test_the_sql_locks_the_sessions_row(session):
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        lock_session_sql(session.pk)
    assert "FOR UPDATE OF s" in queries.captured_queries[0]["sql"]


def test_the_locked_session_brings_the_policy_as_it_is_now(session):
    from charging.models import ChargingPolicy

    policy = current_policy()
    policy.repeat_no_shows, policy.repeat_window_months = 3, 6
    policy.save()
    with transaction.atomic():
        assert lock_session(session.pk)[1] == (3, 6)
    ChargingPolicy.objects.all().delete()
    with transaction.atomic():
        assert lock_session(session.pk)[1] == (2, 12)  # no policy yet: made with the defaults, as elsewhere
    assert ChargingPolicy.objects.count() == 1


def test_an_unknown_session_is_not_found(db):
    with transaction.atomic(), pytest.raises(Session.DoesNotExist):
        lock_session(2**62)


def test_the_repeat_rule_is_read_afresh_every_time(db):
    assert repeat_no_show_rule() == (current_policy().repeat_no_shows, current_policy().repeat_window_months)
    policy = current_policy()
    policy.repeat_no_shows, policy.repeat_window_months = 4, 18
    policy.save()
    assert repeat_no_show_rule() == (4, 18)


def test_the_repeat_rule_makes_the_policy_when_there_is_none(db):
    from charging.models import ChargingPolicy

    ChargingPolicy.objects.all().delete()
    assert repeat_no_show_rule() == (2, 12)
    assert ChargingPolicy.objects.count() == 1


def test_a_date_worked_out_from_now_is_never_frozen(bookings_in_every_state, practitioner):
    """The reads take every time as a value: a later `now` gives a later answer, never a cached one."""
    session = bookings_in_every_state
    before = count_facts(session.pk, practitioner.pk, now=NOW, no_shows_since=NOW - timedelta(days=400))
    after = count_facts(session.pk, practitioner.pk, now=NOW + timedelta(hours=3),
                        no_shows_since=NOW - timedelta(days=60))
    assert (before["taken"], before["recent_no_shows"]) == (3, 3)
    assert (after["taken"], after["recent_no_shows"]) == (2, 0)


@pytest.fixture
def kept_for_two(bookings_in_every_state, make_person, halton):
    """The session in every state keeping places for two partnerships, with people of each in every state."""
    from courses.models import SessionReservation
    from people.models import Partnership
    from people.partnerships import default_partnership

    session = bookings_in_every_state
    first = default_partnership()
    warrington = Partnership.objects.create(slug="warrington", name="Warrington")
    Partnership.objects.create(slug="cheshire-east", name="Cheshire East")  # keeps none
    SessionReservation.objects.create(session=session, partnership=first, places=1)
    SessionReservation.objects.create(session=session, partnership=warrington, places=3)
    statuses = ["confirmed", "pending_approval", "waitlisted", "cancelled", "attended"]
    for n, status in enumerate(statuses):
        person = make_person(f"w{n}@warrington.gov.uk", halton)
        person.home_partnership = warrington
        person.save()
        Booking.objects.create(session=session, person=person, status=status, booked_at=NOW)
    person = make_person("offer@warrington.gov.uk", halton)
    person.home_partnership = warrington
    person.save()
    Booking.objects.create(session=session, person=person, status="waitlisted", booked_at=NOW,
                           offer_expires_at=NOW + timedelta(hours=2))
    return session, first, warrington


def test_the_kept_places_count_each_partnerships_people_holding_a_place(kept_for_two):
    from bookings.under_lock import kept_places

    session, first, warrington = kept_for_two
    # the first partnership's people (no home set): confirmed, pending and the open offer; Warrington's likewise
    assert kept_places(session.pk, now=NOW, default_partnership_id=first.pk) == {first.pk: (1, 3),
                                                                                 warrington.pk: (3, 3)}
    later = NOW + timedelta(hours=3)  # both offers lapsed
    assert kept_places(session.pk, now=later, default_partnership_id=first.pk) == {first.pk: (1, 2),
                                                                                   warrington.pk: (3, 2)}


@ON_POSTGRESQL
def test_the_sql_kept_places_match_the_orm(kept_for_two, make_session):
    from bookings.under_lock import kept_places_orm, kept_places_sql

    session, first, warrington = kept_for_two
    for session_id in (session.pk, make_session(capacity=2).pk, 2**62):
        for now in (NOW, NOW + timedelta(hours=3)):
            for default in (first.pk, warrington.pk):
                values = (session_id, now, default)
                assert kept_places_sql(*values) == kept_places_orm(*values)


@pytest.mark.parametrize("keeps", [True, False])
def test_the_locked_session_says_whether_it_keeps_places_and_which_partnership_is_first(make_session, keeps):
    from people.partnerships import default_partnership

    session = make_session(capacity=4, open_to="network", reserved_places={"halton": 2} if keeps else {})
    with transaction.atomic():
        locked, _ = lock_session(session.pk)
    assert locked.has_reservations is keeps
    assert locked.default_partnership_id == default_partnership().pk


@ON_POSTGRESQL
def test_the_sql_locked_session_says_what_the_orm_says_about_kept_places(make_session):
    for reserved in ({"halton": 2}, {}):
        session = make_session(capacity=4, open_to="network", reserved_places=reserved)
        with transaction.atomic():
            by_sql, by_orm = lock_session_sql(session.pk)[0], lock_session_orm(session.pk)[0]
        assert (by_sql.has_reservations, by_sql.default_partnership_id) == (
            by_orm.has_reservations, by_orm.default_partnership_id)
