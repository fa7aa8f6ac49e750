"""lib.compiled: ORM reads built once, then sent again as SQL with new values (on PostgreSQL).

The equivalence tests run in both passes: on SQLite they hold trivially (the ORM runs every time);
on PostgreSQL they compare the compiled SQL with the ORM over bookings in every state.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef

from bookings.models import Booking
from bookings.services.booking import (
    _count_facts,
    _facts,
    _locked_session_row,
    _locked_session_rows,
    lock_session,
)
from charging.selectors import current_policy, repeat_no_show_rule
from courses.models import Course, Session
from lib.compiled import ID, MOMENT, Compiled, CompiledInsert
from lib.dates import london

NOW = london(2030, 2, 1, 10, 0)
ON_POSTGRESQL = pytest.mark.postgres


@pytest.fixture
def bookings_in_every_state(make_session, make_course, make_person, halton, practitioner, colleague, outsider):
    """One session with a booking in each state, and the practitioner's no-shows on earlier sessions."""
    session = make_session(capacity=5)
    others = [make_person(f"{name}@halton.gov.uk", halton) for name in ("wait", "gone", "late")]
    statuses = ["confirmed", "pending_approval", "waitlisted", "cancelled", "late_cancelled"]
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
def test_the_booking_facts_match_the_orm_in_every_state(bookings_in_every_state, practitioner, colleague,
                                                        outsider, since_months, no_shows):
    session = bookings_in_every_state
    since = NOW - timedelta(days=30 * since_months)
    for person in (practitioner, colleague, outsider):
        for now in (NOW, NOW + timedelta(hours=3)):  # before and after the offer lapses
            values = {"session_id": session.pk, "person_id": person.pk, "now": now, "no_shows_since": since}
            assert _facts(**values) == _count_facts(**values)
    facts = _facts(session_id=session.pk, person_id=practitioner.pk, now=NOW, no_shows_since=since)
    assert facts == {"taken": 3, "waiting": 2, "live_here": 1, "recent_no_shows": no_shows}
    # the taken places: confirmed, pending approval and the open offer; waiting: the list, offer included


def test_the_locked_session_matches_the_orm(make_course, make_session):
    course = make_course("Safeguarding Masterclass", level=Course.Level.MASTERCLASS,
                         prerequisites=[make_course("Intermediate")])
    session = make_session(course_=course, capacity=12)
    with transaction.atomic():
        assert _locked_session_rows(session_id=session.pk) == list(_locked_session_row(session.pk))
        locked, rule = lock_session(session.pk)
    fresh = Session.objects.select_related("course").get(pk=session.pk)
    for field in Session._meta.concrete_fields:
        assert getattr(locked, field.attname) == getattr(fresh, field.attname), field.name
    for field in Course._meta.concrete_fields:
        assert getattr(locked.course, field.attname) == getattr(fresh.course, field.attname), field.name
    assert locked.needs_prerequisites is True
    assert not locked._state.adding
    assert rule == repeat_no_show_rule() == (2, 12)


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


def _waiting_count(session_id):
    return Booking.objects.filter(session_id=session_id, status="waitlisted").aggregate(waiting=Count("pk"))


def test_a_compiled_read_is_built_once_on_postgresql_and_every_time_elsewhere(session, practitioner):
    built = []

    def read(session_id):
        built.append(session_id)
        return _waiting_count(session_id)

    waiting = Compiled(read, session_id=ID)
    assert waiting(session_id=session.pk) == {"waiting": 0}
    Booking.objects.create(session=session, person=practitioner, status="waitlisted")
    assert waiting(session_id=session.pk) == {"waiting": 1}
    assert waiting(session_id=session.pk + 1) == {"waiting": 0}
    assert len(built) == (1 if connection.vendor == "postgresql" else 3)


@ON_POSTGRESQL
def test_a_read_that_ignores_a_value_is_refused(db):
    unused = Compiled(lambda session_id, person_id: _waiting_count(session_id), session_id=ID, person_id=ID)
    with pytest.raises(ValueError, match="does not use person_id"):
        unused(session_id=1, person_id=2)


@ON_POSTGRESQL
def test_a_time_worked_out_inside_the_read_is_refused(db):
    frozen = Compiled(lambda now: Booking.objects.filter(booked_at__gte=now - timedelta(days=1))
                      .aggregate(n=Count("pk")), now=MOMENT)
    with pytest.raises(ValueError, match="work it out before the read"):
        frozen(now=NOW)


@ON_POSTGRESQL
def test_a_read_of_two_statements_is_refused(db):
    def two(session_id):
        _waiting_count(session_id)
        return _waiting_count(session_id)

    with pytest.raises(ValueError, match="one SQL statement; this one ran 2"):
        Compiled(two, session_id=ID)(session_id=1)


@ON_POSTGRESQL
def test_only_plain_value_lists_with_annotations_last_are_compiled(db):
    needs = Exists(Course.prerequisites.through.objects.filter(from_course_id=OuterRef("course_id")))
    annotation_first = Compiled(lambda session_id: Session.objects.filter(pk=session_id).annotate(needs=needs)
                                .values_list("needs", "capacity"), session_id=ID)
    models = Compiled(lambda session_id: Session.objects.filter(pk=session_id), session_id=ID)
    flat = Compiled(lambda session_id: Session.objects.filter(pk=session_id).values_list("capacity", flat=True),
                    session_id=ID)
    for read in (annotation_first, models, flat):
        with pytest.raises(TypeError, match="values_list"):
            read(session_id=1)


def _row(model, pk, skip=("id",)):
    values = model.objects.filter(pk=pk).values().get()
    return {name: value for name, value in values.items() if name not in skip}


def test_a_compiled_insert_writes_what_the_orm_writes(make_session, practitioner, colleague):
    from notifications.models import Message

    insert_booking, insert_message = CompiledInsert(Booking), CompiledInsert(Message)
    session, other = make_session(), make_session()
    stamps = ("id", "updated_at", "session_id")  # updated_at is auto_now: the time of each save
    for person in (practitioner, colleague):  # the first insert builds the SQL, the second sends it
        fields = {"session": session, "person": person, "status": "waitlisted", "booked_at": NOW,
                  "waitlisted_at": NOW, "line_manager_email": "boss@halton.gov.uk", "adjustments": "Step-free",
                  "created_at": NOW}
        ours = insert_booking(Booking(**fields))
        assert ours.pk and not ours._state.adding and ours._state.db == "default"
        theirs = Booking.objects.create(**fields | {"session": other})
        assert _row(Booking, ours.pk, stamps) == _row(Booking, theirs.pk, stamps)
        assert Booking.objects.get(pk=ours.pk).updated_at is not None

        context = {"position": 3, "when": {"__datetime__": NOW.isoformat()}, "words": ["a", "ü"]}
        mail = {"to": person.email, "subject": "Booked", "template": "bookings/email/booked", "kind": "booked",
                "booking": ours, "context": context, "ics_method": "REQUEST", "ics_sequence": 0, "created_at": NOW}
        sent = insert_message(Message(**mail))
        assert _row(Message, sent.pk) == _row(Message, Message.objects.create(**mail).pk)
        assert Message.objects.get(pk=sent.pk).context == context
    assert (insert_booking.sql is not None) == (connection.vendor == "postgresql")


def test_a_compiled_insert_keeps_the_databases_constraints(session, practitioner):
    from django.db import IntegrityError

    insert = CompiledInsert(Booking)
    insert(Booking(session=session, person=practitioner, status="confirmed"))
    with pytest.raises(IntegrityError), transaction.atomic():  # one live booking a person a session
        insert(Booking(session=session, person=practitioner, status="waitlisted"))
    assert Booking.objects.filter(session=session).count() == 1


def test_a_compiled_insert_saves_through_the_orm_while_a_signal_listens(session, practitioner):
    from django.db.models.signals import post_save

    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    insert = CompiledInsert(Booking)
    insert(Booking(session=session, person=practitioner, status="cancelled"))
    post_save.connect(listener, sender=Booking)
    try:
        booking = insert(Booking(session=session, person=practitioner, status="confirmed"))
    finally:
        post_save.disconnect(listener, sender=Booking)
    assert heard == [(booking.pk, True)]


def test_a_compiled_insert_takes_only_new_instances(session, practitioner):
    insert = CompiledInsert(Booking)
    booking = insert(Booking(session=session, person=practitioner, status="confirmed"))
    with pytest.raises(TypeError, match="new Booking"):
        insert(booking)
    with pytest.raises(TypeError, match="new Booking"):
        insert(Session())


def test_a_model_with_its_own_save_is_not_inserted_by_sql_alone():
    from django.contrib.auth import get_user_model

    with pytest.raises(TypeError, match="its own save"):  # AbstractBaseUser.save resets the raw password
        CompiledInsert(get_user_model())


@ON_POSTGRESQL
def test_an_insert_the_orm_writes_otherwise_is_left_to_the_orm_and_nothing_is_lost(session, practitioner,
                                                                                  colleague, monkeypatch, caplog):
    import lib.compiled

    monkeypatch.setattr(lib.compiled, "_same", lambda sent, ours: False)  # as if Django's INSERT had changed
    insert = CompiledInsert(Booking)
    first = insert(Booking(session=session, person=practitioner, status="confirmed"))
    second = insert(Booking(session=session, person=colleague, status="waitlisted"))
    assert insert.sql is None and insert.orm_only
    assert sorted(Booking.objects.filter(session=session).values_list("pk", flat=True)) == [first.pk, second.pk]
    assert "inserted by the ORM" in caplog.text
