import pytest

from attendance.models import Mark
from attendance.services import (
    add_walk_in,
    apply_teams_report,
    close_register,
    correct_mark,
    mark,
    mark_all_attended,
    parse_teams_report,
)
from bookings.models import Booking
from charging.models import Charge
from lib.dates import london
from lib.errors import Conflict, Invalid, NotAllowed
from tests.conftest import confirmed

AFTER = london(2030, 3, 14, 17, 0)


def test_closing_the_register_turns_marks_into_outcomes_and_unmarked_into_no_shows(
        past_session, practitioner, colleague, outsider, trainer):
    a, b, c = confirmed(past_session, practitioner, colleague, outsider)
    mark(past_session, [(a.pk, "attended"), (b.pk, "partial")], by=trainer, now=AFTER)
    close_register(past_session, by=trainer, now=AFTER)
    assert [Booking.objects.get(pk=x.pk).status for x in (a, b, c)] == ["attended", "partial", "no_show"]
    # The charging policy ran: one charge, for the no-show, owed by the outsider's agency.
    charge = Charge.objects.get()
    assert (charge.booking_id, charge.agency.code, charge.amount_pence) == (c.pk, "cheshire-police", 5000)


def test_marks_on_a_closed_register_are_a_conflict(past_session, practitioner, trainer):
    [a] = confirmed(past_session, practitioner)
    close_register(past_session, by=trainer, now=AFTER)
    with pytest.raises(Conflict, match="closed"):
        mark(past_session, [(a.pk, "attended")], by=trainer, now=AFTER)
    with pytest.raises(Conflict):
        close_register(past_session, by=trainer, now=AFTER)


def test_bad_marks_change_nothing(past_session, make_session, practitioner, colleague, trainer):
    [a] = confirmed(past_session, practitioner)
    other = make_session(starts_at=london(2030, 3, 20, 9, 30))
    [elsewhere] = confirmed(other, colleague)
    with pytest.raises(Invalid, match="Unknown outcome"):
        mark(past_session, [(a.pk, "asleep")], by=trainer, now=AFTER)
    with pytest.raises(Invalid, match="not a confirmed place on this session"):
        mark(past_session, [(a.pk, "attended"), (elsewhere.pk, "attended")], by=trainer, now=AFTER)
    assert not hasattr(Booking.objects.get(pk=a.pk), "mark")


def test_mark_all_attended_and_a_walk_in(past_session, practitioner, colleague, trainer):
    confirmed(past_session, practitioner)
    assert mark_all_attended(past_session, by=trainer, now=AFTER) == 1
    walk_in = add_walk_in(past_session, email="TOM@halton.gov.uk", by=trainer, now=AFTER)
    assert walk_in.mark.walk_in and walk_in.mark.outcome == "attended"
    with pytest.raises(Conflict, match="already on this register"):
        add_walk_in(past_session, email=colleague.email, by=trainer, now=AFTER)
    close_register(past_session, by=trainer, now=AFTER)
    assert set(past_session.bookings.values_list("status", flat=True)) == {"attended"}
    assert not Charge.objects.exists()


def test_the_register_cannot_close_before_the_session(past_session, trainer):
    with pytest.raises(Conflict, match="not started"):
        close_register(past_session, by=trainer, now=london(2030, 3, 14, 8, 0))


def test_nobody_is_marked_before_the_day_of_the_session(past_session, practitioner, trainer):
    (a,) = confirmed(past_session, practitioner)
    with pytest.raises(Conflict, match="opens on the day of the session, 14 March 2030"):
        mark(past_session, [(a.pk, "no_show")], by=trainer, now=london(2030, 3, 13, 23, 59))
    assert not Mark.objects.exists()
    mark(past_session, [(a.pk, "attended")], by=trainer, now=london(2030, 3, 14, 0, 0))
    assert Mark.objects.get().outcome == "attended"


def test_only_the_business_unit_corrects_after_closing_and_the_reason_is_kept(
        past_session, practitioner, trainer, business_unit):
    [a] = confirmed(past_session, practitioner)
    close_register(past_session, by=trainer, now=AFTER)
    assert Charge.objects.get().status == "pending"
    with pytest.raises(NotAllowed):
        correct_mark(a, outcome="attended", reason="Signed in late", by=trainer)
    with pytest.raises(Invalid, match="reason"):
        correct_mark(a, outcome="attended", reason=" ", by=business_unit)
    correct_mark(a, outcome="attended", reason="Was there: signed the paper sheet", by=business_unit)
    a.refresh_from_db()
    assert a.status == "attended"
    assert a.corrections.get().reason == "Was there: signed the paper sheet"
    assert Charge.objects.get().status == "void"


TEAMS_REPORT = (
    "1. Summary\n"
    "Meeting title\tDomestic Abuse Awareness\n"
    "Attended participants\t3\n"
    "\n"
    "2. Participants\n"
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
    "Priya Shah\t14/03/2030, 09:28:01\t14/03/2030, 16:00:00\t6h 31m 59s\t"
    "priya@halton.gov.uk\tpriya@halton.gov.uk\tAttendee\n"
    "Tom Walsh\t14/03/2030, 11:00:00\t14/03/2030, 16:00:00\t5h\ttom@halton.gov.uk\ttom@halton.gov.uk\tAttendee\n"
    "Guest User\t14/03/2030, 09:30:00\t14/03/2030, 16:00:00\t6h 30m\tguest@example.org\t\tAttendee\n"
    "\n"
    "3. In-Meeting Activities\n"
)


def test_teams_report_prefills_marks_and_lists_the_unmatched(past_session, practitioner, colleague, trainer):
    a, b = confirmed(past_session, practitioner, colleague)
    result = apply_teams_report(past_session, TEAMS_REPORT.encode("utf-16"), by=trainer, now=AFTER)
    assert [(x.person.name, outcome) for x, outcome in result.marked] == [("Priya Shah", "attended"),
                                                                           ("Tom Walsh", "partial")]
    assert [row.email for row in result.unmatched] == ["guest@example.org"]
    assert Booking.objects.get(pk=a.pk).mark.outcome == "attended"


def test_something_that_is_not_a_teams_report_is_refused(db):
    with pytest.raises(Invalid, match="Teams attendance report"):
        parse_teams_report(b"just,some,numbers\n1,2,3\n")


def test_an_open_register_reminds_the_trainer_once_a_day_after(past_session, practitioner, colleague, trainer,
                                                               make_session):
    from attendance.services import remind_open_registers
    from courses.services import cancel_session
    from tests.conftest import sent

    a, _ = confirmed(past_session, practitioner, colleague)
    mark(past_session, [(a.pk, "attended")], by=trainer, now=AFTER)
    sent().clear()
    assert remind_open_registers(now=london(2030, 3, 15, 9, 0)) == 0  # the session ended less than a day ago
    assert remind_open_registers(now=london(2030, 3, 15, 17, 0)) == 1
    (email,) = sent()
    assert email.to == [trainer.email] and "Please close the register" in email.subject
    assert "1 person is not marked" in email.body and f"/sessions/{past_session.pk}/register/" in email.body
    assert remind_open_registers(now=london(2030, 3, 16, 17, 0)) == 0  # once

    closed = make_session(starts_at=london(2030, 3, 20, 9, 30), trainers=[trainer])
    confirmed(closed, practitioner)
    close_register(closed, by=trainer, now=london(2030, 3, 20, 17, 0))
    cancelled = make_session(starts_at=london(2030, 3, 21, 9, 30), trainers=[trainer])
    confirmed(cancelled, practitioner)
    cancel_session(cancelled, reason="Trainer unwell", now=london(2030, 3, 19, 9, 0))
    assert remind_open_registers(now=london(2030, 3, 23, 9, 0)) == 0
    forgotten = make_session(starts_at=london(2030, 4, 1, 9, 30), trainers=[trainer])
    confirmed(forgotten, practitioner)
    assert remind_open_registers(now=london(2030, 4, 20, 9, 0)) == 0  # long past: not chased
    assert remind_open_registers(now=london(2030, 4, 3, 9, 0)) == 1


def _locks_the_session(queries, session) -> bool:
    return any(q["sql"].startswith('SELECT') and 'FOR UPDATE OF "courses_session"' in q["sql"]
               and f'"courses_session"."id" = {session.pk}' in q["sql"] for q in queries)


@pytest.mark.postgres
def test_a_walk_in_and_a_correction_take_the_sessions_lock_like_any_booking(
        past_session, practitioner, colleague, trainer, business_unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    [a] = confirmed(past_session, practitioner)
    with CaptureQueriesContext(connection) as walk_in:
        add_walk_in(past_session, email=colleague.email, by=trainer, now=AFTER)
    assert _locks_the_session(walk_in.captured_queries, past_session)
    close_register(past_session, by=trainer, now=AFTER)
    with CaptureQueriesContext(connection) as correction:
        correct_mark(a, outcome="attended", reason="Signed the paper sheet", by=business_unit)
    assert _locks_the_session(correction.captured_queries, past_session)


def test_a_walk_in_from_the_waiting_list_is_confirmed_through_the_bookings_table(
        past_session, practitioner, colleague, trainer):
    waiting = Booking.objects.create(session=past_session, person=colleague, status="waitlisted",
                                     offer_expires_at=AFTER)
    booking = add_walk_in(past_session, email=colleague.email, by=trainer, now=AFTER)
    assert booking.pk == waiting.pk
    waiting.refresh_from_db()
    assert (waiting.status, waiting.offer_expires_at) == ("confirmed", None)
