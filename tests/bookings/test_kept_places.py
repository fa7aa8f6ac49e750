"""Sessions open to a partnership or the network, and places kept for partnerships (the Pan-Cheshire network).

Halton (the first partnership) delivers; Warrington's people book its sessions open to the network. Places
kept for a partnership go only to its people until reserved_until (default: the booking close), and after
that to anyone, by the clock, whether or not the release task has run.
"""

from datetime import timedelta

import pytest

from bookings.models import Booking, BookingSettings
from bookings.services import book_place, cancel_booking, release_kept_places
from bookings.services.places import Places
from courses.models import SessionReservation
from lib.dates import london
from lib.errors import Conflict, NotAllowed
from people import roles
from people.models import Agency
from people.partnerships import default_partnership

IN_FEBRUARY = london(2030, 2, 1, 10, 0)
STARTS = london(2030, 3, 14, 9, 30)  # bookings close at 17:00 on 11 March by the default rule
KEPT_UNTIL = london(2030, 2, 20, 12, 0)


@pytest.fixture
def network_session(make_session, warrington):
    """Halton's session of 3 places, open to the network, keeping 2 for Warrington until 20 February."""
    def make(capacity=3, kept=2, until=KEPT_UNTIL, waiting_list=True, **kwargs):
        session = make_session(capacity=capacity, open_to="network", reserved_until=until,
                               reserved_places={"warrington": kept} if kept else {}, **kwargs)
        session.waiting_list = waiting_list
        session.save()
        return session
    return make


def test_a_session_open_to_its_partnership_refuses_another_partnerships_people(make_session, from_warrington):
    session = make_session(capacity=5)
    with pytest.raises(NotAllowed) as refused:
        book_place(session, from_warrington("wendy"), now=IN_FEBRUARY)
    assert "Halton Children and Young People Safeguarding Partnership" in refused.value.message
    assert refused.value.status == 403
    assert not Booking.objects.filter(session=session).exists()


def test_a_session_open_to_the_network_takes_anyone(make_session, from_warrington, from_halton):
    session = make_session(capacity=5, open_to="network")
    assert book_place(session, from_warrington("wendy"), now=IN_FEBRUARY).status == "confirmed"
    assert book_place(session, from_halton("hal"), now=IN_FEBRUARY).status == "confirmed"


def test_the_403_names_the_partnership_through_the_api(api_as, soon_session, from_warrington):
    session = soon_session(capacity=5)
    response = api_as(from_warrington("wendy")).post(f"/api/v1/sessions/{session.pk}/book/", {}, format="json")
    assert response.status_code == 403
    assert "open only to people of Halton Children and Young People Safeguarding Partnership" in (
        response.json()["detail"])


def test_the_session_page_says_the_same_words(client, soon_session, from_warrington):
    session = soon_session(capacity=5)
    client.force_login(from_warrington("wendy"))
    page = client.get(session.get_absolute_url()).content.decode()
    assert "open only to people of Halton Children and Young People Safeguarding Partnership" in page
    assert "Book a place" not in page


def test_kept_places_go_only_to_their_partnership(network_session, from_halton, from_warrington):
    session = network_session()
    assert book_place(session, from_halton("a"), now=IN_FEBRUARY).status == "confirmed"
    # two places left, both kept for Warrington: Halton's next person waits
    assert book_place(session, from_halton("b"), now=IN_FEBRUARY).status == "waitlisted"
    assert book_place(session, from_warrington("w1"), now=IN_FEBRUARY).status == "confirmed"
    assert book_place(session, from_warrington("w2"), now=IN_FEBRUARY).status == "confirmed"
    assert book_place(session, from_warrington("w3"), now=IN_FEBRUARY).status == "waitlisted"
    assert session.bookings.holding_a_place(IN_FEBRUARY).count() == 3


def test_a_partnerships_people_take_its_kept_places_first_then_general_ones(network_session, from_warrington,
                                                                            from_halton):
    session = network_session(capacity=4, kept=2)
    for name in ("w1", "w2", "w3"):
        assert book_place(session, from_warrington(name), now=IN_FEBRUARY).status == "confirmed"
    assert book_place(session, from_halton("a"), now=IN_FEBRUARY).status == "confirmed"  # the last general place
    assert book_place(session, from_halton("b"), now=IN_FEBRUARY).status == "waitlisted"


def test_without_a_waiting_list_the_refusal_says_for_whom_the_places_are_kept(network_session, from_halton):
    session = network_session(waiting_list=False)
    book_place(session, from_halton("a"), now=IN_FEBRUARY)
    with pytest.raises(Conflict) as refused:
        book_place(session, from_halton("b"), now=IN_FEBRUARY)
    assert refused.value.message == ("The places left on this session are kept for people of Warrington Safeguarding "
                                     "Partnership until 20 February 2030 at 12:00. This session has no waiting list.")


def test_after_reserved_until_the_unused_kept_places_are_anyones_without_the_task(network_session, from_halton):
    session = network_session(waiting_list=False)
    book_place(session, from_halton("a"), now=IN_FEBRUARY)
    later = KEPT_UNTIL + timedelta(minutes=1)
    assert book_place(session, from_halton("b"), now=later).status == "confirmed"
    assert book_place(session, from_halton("c"), now=later).status == "confirmed"


def test_kept_places_last_until_the_booking_close_when_no_time_is_set(network_session, from_halton):
    session = network_session(until=None)
    book_place(session, from_halton("a"), now=IN_FEBRUARY)
    assert book_place(session, from_halton("b"), now=london(2030, 3, 11, 16, 59)).status == "waitlisted"
    assert session.booking_closes_at == london(2030, 3, 11, 17, 0)


def test_a_newcomer_after_the_release_comes_after_those_waiting(network_session, from_halton):
    """The task has not run: the first booking after reserved_until gives the freed places to the queue first."""
    session = network_session()
    book_place(session, from_halton("a"), now=IN_FEBRUARY)
    waiting = book_place(session, from_halton("b"), now=IN_FEBRUARY)
    later = KEPT_UNTIL + timedelta(hours=1)
    newcomer = book_place(session, from_halton("c"), now=later)
    waiting.refresh_from_db()
    assert (waiting.status, newcomer.status) == ("confirmed", "confirmed")
    assert book_place(session, from_halton("d"), now=later).status == "waitlisted"


def test_the_release_task_offers_freed_places_to_the_waiting_list(network_session, from_halton, from_warrington):
    session = network_session()
    book_place(session, from_halton("a"), now=IN_FEBRUARY)
    first, second = (book_place(session, from_halton(n), now=IN_FEBRUARY) for n in ("b", "c"))
    assert release_kept_places(now=KEPT_UNTIL - timedelta(minutes=1)) == 0  # still kept
    assert release_kept_places(now=KEPT_UNTIL) == 2
    assert release_kept_places(now=KEPT_UNTIL + timedelta(minutes=1)) == 0  # safe to run again
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "confirmed")


def test_the_release_task_late_still_gives_places_in_queue_order(network_session, from_halton):
    session = network_session(kept=1)
    book_place(session, from_halton("a"), now=IN_FEBRUARY)
    book_place(session, from_halton("b"), now=IN_FEBRUARY)
    queue = [book_place(session, from_halton(n), now=IN_FEBRUARY) for n in ("c", "d")]
    assert release_kept_places(now=KEPT_UNTIL + timedelta(days=3)) == 1
    assert [Booking.objects.get(pk=b.pk).status for b in queue] == ["confirmed", "waitlisted"]


def test_promotion_gives_a_kept_place_to_the_first_waiting_of_its_partnership(network_session, from_halton,
                                                                              from_warrington):
    session = network_session(capacity=3, kept=1)
    taken = [book_place(session, from_halton(n), now=IN_FEBRUARY) for n in ("a", "b")]
    warrington_place = book_place(session, from_warrington("w1"), now=IN_FEBRUARY)
    halton_waiting = book_place(session, from_halton("c"), now=IN_FEBRUARY)
    warrington_waiting = book_place(session, from_warrington("w2"), now=IN_FEBRUARY)
    assert [b.status for b in (*taken, warrington_place)] == ["confirmed"] * 3
    cancel_booking(warrington_place, by=warrington_place.person, now=IN_FEBRUARY)
    halton_waiting.refresh_from_db(), warrington_waiting.refresh_from_db()
    # the freed place is Warrington's kept one: the first Warrington person waiting has it
    assert (halton_waiting.status, warrington_waiting.status) == ("waitlisted", "confirmed")
    cancel_booking(taken[0], by=taken[0].person, now=IN_FEBRUARY)
    halton_waiting.refresh_from_db()
    assert halton_waiting.status == "confirmed"  # a general place: the first in the queue


def test_a_waiting_partnership_person_skips_ahead_to_their_kept_place_only(network_session, from_halton,
                                                                           from_warrington):
    session = network_session(capacity=2, kept=1)
    book_place(session, from_halton("a"), now=IN_FEBRUARY)
    kept = book_place(session, from_warrington("w1"), now=IN_FEBRUARY)
    queue = [book_place(session, from_halton("b"), now=IN_FEBRUARY),
             book_place(session, from_halton("c"), now=IN_FEBRUARY)]
    cancel_booking(kept, by=kept.person, now=IN_FEBRUARY)
    # nobody from Warrington waits: the kept place stays kept, and Halton's people keep their turn
    assert [Booking.objects.get(pk=b.pk).status for b in queue] == ["waitlisted", "waitlisted"]
    assert release_kept_places(now=KEPT_UNTIL) == 1
    assert [Booking.objects.get(pk=b.pk).status for b in queue] == ["confirmed", "waitlisted"]


def test_a_person_with_no_home_partnership_counts_as_the_first_partnerships(make_session, warrington, from_halton):
    session = make_session(capacity=2, open_to="network", reserved_places={"halton": 2})
    person = from_halton("nohome")
    assert person.home_partnership_id is None
    assert book_place(session, person, now=IN_FEBRUARY).status == "confirmed"


def test_places_arithmetic_never_gives_more_than_is_free():
    places = Places(free=2, kept={1: 3})
    assert places.for_partnership(1) == 2 and places.for_partnership(2) == 0
    places = Places(free=5, kept={1: 2, 2: 1})
    assert (places.for_partnership(1), places.for_partnership(2), places.for_partnership(3)) == (4, 3, 2)
    places.take(1)
    assert places.kept == {1: 1, 2: 1} and places.free == 4
    places.take(3)
    assert places.kept == {1: 1, 2: 1} and places.free == 3


def test_a_hand_over_cannot_move_a_kept_place_to_another_partnership(network_session, make_person, warrington,
                                                                     from_warrington):
    """Cheshire Constabulary serves every partnership: a Warrington officer's kept place cannot go to a
    Halton colleague while it is kept."""
    from bookings.services import hand_over_booking

    police = Agency.objects.create(code="police", name="Cheshire Constabulary", kind="statutory_partner",
                                   email_domains="cheshire.police.uk")
    police.partnerships.add(default_partnership(), warrington)
    officer = make_person("wes@cheshire.police.uk", police, roles.PRACTITIONER)
    officer.home_partnership = warrington
    officer.save()
    halton_officer = make_person("hana@cheshire.police.uk", police, roles.PRACTITIONER)
    session = network_session(capacity=2, kept=2)
    booking = book_place(session, officer, now=IN_FEBRUARY)
    with pytest.raises(Conflict) as refused:
        hand_over_booking(booking, to_email=halton_officer.email, now=IN_FEBRUARY)
    assert "kept for people of Warrington Safeguarding Partnership" in refused.value.message
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    new = hand_over_booking(booking, to_email=halton_officer.email, now=KEPT_UNTIL)
    assert new.status == "confirmed"


def test_a_hand_over_cannot_open_a_session_to_another_partnership(make_session, make_person, warrington):
    from bookings.services import hand_over_booking

    police = Agency.objects.create(code="police", name="Cheshire Constabulary", kind="statutory_partner",
                                   email_domains="cheshire.police.uk")
    police.partnerships.add(default_partnership(), warrington)
    officer = make_person("hana@cheshire.police.uk", police, roles.PRACTITIONER)
    colleague = make_person("wes@cheshire.police.uk", police, roles.PRACTITIONER)
    colleague.home_partnership = warrington
    colleague.save()
    booking = book_place(make_session(capacity=2), officer, now=IN_FEBRUARY)
    with pytest.raises(NotAllowed) as refused:
        hand_over_booking(booking, to_email=colleague.email, now=IN_FEBRUARY)
    assert "open only to people of Halton" in refused.value.message


def test_the_delivering_partnerships_booking_settings_apply(make_course, make_session, warrington, from_warrington):
    """Inside the notice period a freed place is offered for the delivering partnership's offer_hours."""
    BookingSettings.objects.update_or_create(partnership=default_partnership(), defaults={"offer_hours": 24})
    BookingSettings.objects.create(partnership=warrington, offer_hours=6)
    course = make_course("Warrington's own course")
    course.partnership = warrington
    course.save()
    session = make_session(course_=course, capacity=1)
    booked = book_place(session, from_warrington("w1"), now=IN_FEBRUARY)
    waiting = book_place(session, from_warrington("w2"), now=IN_FEBRUARY)
    late = london(2030, 3, 12, 9, 0)
    cancel_booking(booked, by=booked.person, now=late)
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == late + timedelta(hours=6)


def test_a_hub_of_one_keeps_its_one_settings_row(db):
    from bookings.services.rules import booking_settings

    first = booking_settings()
    assert first.partnership == default_partnership()
    assert booking_settings(default_partnership().pk) == first
    assert BookingSettings.objects.count() == 1


def test_reservations_are_stored_per_partnership(network_session, warrington):
    session = network_session(capacity=10, kept=4)
    assert list(SessionReservation.objects.filter(session=session).values_list("partnership__slug", "places")) == [
        ("warrington", 4)]


def test_a_booking_on_a_session_keeping_places_takes_one_statement_more(network_session, from_warrington,
                                                                        from_halton, django_assert_max_num_queries):
    """The places kept are read only for a session that keeps some, while it keeps them: one statement."""
    session = network_session(capacity=10, kept=4)
    book_place(session, from_halton("first"), now=IN_FEBRUARY)  # the charging policy made
    person = from_warrington("w")
    with django_assert_max_num_queries(8):
        book_place(session, person, now=IN_FEBRUARY)
    later = from_halton("later")
    with django_assert_max_num_queries(7):  # released: as any other session
        book_place(session, later, now=KEPT_UNTIL)


def test_releasing_kept_places_is_in_the_one_beat_schedule_and_runs_the_service(network_session, from_halton):
    from bookings.tasks import release_kept_places as task
    from config.celery import app

    assert app.conf.beat_schedule["release-kept-places"] == {"task": "bookings.tasks.release_kept_places",
                                                             "schedule": 60.0}
    import time_machine

    session = network_session()
    book_place(session, from_halton("a"), now=IN_FEBRUARY)
    waiting = book_place(session, from_halton("b"), now=IN_FEBRUARY)
    with time_machine.travel(KEPT_UNTIL - timedelta(minutes=1), tick=False):
        assert task.run() == 0
    with time_machine.travel(KEPT_UNTIL + timedelta(minutes=1), tick=False):
        assert task.run() == 1
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_each_session_follows_its_delivering_partnerships_reminder_days(make_course, make_session, session, warrington,
                                                                        from_warrington, practitioner):
    from bookings.services import send_reminders

    BookingSettings.objects.create(partnership=warrington, reminder_days_before=7)
    course = make_course("Warrington's own course")
    course.partnership = warrington
    course.save()
    theirs = make_session(course_=course, capacity=5)  # both on 14 March 2030
    book_place(session, practitioner, now=IN_FEBRUARY)
    book_place(theirs, from_warrington("w1"), now=IN_FEBRUARY)
    assert send_reminders(now=london(2030, 2, 28, 10, 0)) == 1  # Halton's: 14 days before
    assert send_reminders(now=london(2030, 3, 7, 10, 0)) == 1  # Warrington's: 7 days before
    assert set(Booking.objects.filter(reminders__kind="reminder").values_list("session_id", flat=True)) == {
        session.pk, theirs.pk}


def test_the_line_managers_hold_follows_the_delivering_partnership(make_course, make_session, warrington,
                                                                   make_person):
    BookingSettings.objects.create(partnership=warrington, approval_hold_hours=12)
    course = make_course("Warrington's own course")
    course.partnership = warrington
    course.save()
    agency = Agency.objects.create(code="asks", name="Asking Agency", kind="voluntary", email_domains="asks.org.uk",
                                   requires_line_manager_approval=True)
    agency.partnerships.add(warrington)
    person = make_person("pat@asks.org.uk", agency, roles.PRACTITIONER)
    person.home_partnership = warrington
    person.save()
    booking = book_place(make_session(course_=course, capacity=5), person, line_manager_email="boss@asks.org.uk",
                         now=IN_FEBRUARY)
    assert booking.approval_expires_at == IN_FEBRUARY + timedelta(hours=12)


def test_who_may_book_is_said_before_what_they_typed(make_session, make_person, warrington):
    """An agency asking for approval, booking with no line manager given: the session not being open to them
    is the first thing to say (403), not the missing email (400)."""
    agency = Agency.objects.create(code="asks", name="Asking Agency", kind="voluntary", email_domains="asks.org.uk",
                                   requires_line_manager_approval=True)
    agency.partnerships.add(warrington)
    person = make_person("pat@asks.org.uk", agency, roles.PRACTITIONER)
    person.home_partnership = warrington
    person.save()
    with pytest.raises(NotAllowed):
        book_place(make_session(capacity=5), person, now=IN_FEBRUARY)
