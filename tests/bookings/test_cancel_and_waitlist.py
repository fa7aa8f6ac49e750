import re
from datetime import timedelta

import pytest

from bookings.models import Booking
from bookings.services import (
    accept_offer,
    book_place,
    cancel_booking,
    decline_offer,
    expire_offers,
    is_late_cancellation,
)
from charging.models import ChargingPolicy
from courses.services import change_session
from lib.dates import london
from lib.errors import Conflict
from tests.conftest import invites_in, sent

IN_FEBRUARY = london(2030, 2, 1, 10, 0)


def test_cancelling_in_good_time_is_free_and_sends_a_cancel_invite(session, practitioner):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    cancel_booking(booking, by=practitioner, now=IN_FEBRUARY)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    (m1, request), (m2, cancel) = invites_in(sent())
    assert (m1, m2) == ("REQUEST", "CANCEL")
    uid = re.search(r"UID:(\S+)", request).group(1)
    assert f"UID:{uid}" in cancel
    assert "SEQUENCE:0" in request and "SEQUENCE:1" in cancel
    assert "STATUS:CANCELLED" in cancel


def test_late_cancellation_inside_five_working_days(session, practitioner):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    # Thursday 14 March 2030: cancelling on Thursday 7 March leaves 4 working days between (8, 11, 12, 13).
    cancel_booking(booking, by=practitioner, now=london(2030, 3, 7, 9, 0))
    booking.refresh_from_db()
    assert booking.status == "late_cancelled"
    assert "late cancellation" in sent()[-1].body


def test_notice_counts_working_days_strictly_between_and_skips_bank_holidays(make_session):
    # Tuesday 27 May 2025 follows the late May bank holiday (Monday 26).
    session = make_session(starts_at=london(2025, 5, 27, 9, 30), now=london(2025, 1, 6))
    # Five working days' notice: from Friday 16 May, 19-23 May lie between; from Monday 19, only four do.
    assert not is_late_cancellation(session, now=london(2025, 5, 16, 23, 0))
    assert is_late_cancellation(session, now=london(2025, 5, 19, 8, 0))
    ChargingPolicy.objects.update(notice_working_days=4)
    assert not is_late_cancellation(session, now=london(2025, 5, 19, 23, 0))  # 20, 21, 22, 23 lie between
    assert is_late_cancellation(session, now=london(2025, 5, 20, 8, 0))  # only 21, 22, 23


def test_a_freed_place_goes_to_the_first_person_waiting(make_session, practitioner, colleague, outsider):
    session = make_session(capacity=1)
    first = book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY + timedelta(minutes=1))
    third = book_place(session, outsider, now=IN_FEBRUARY + timedelta(minutes=2))
    sent().clear()
    cancel_booking(first, by=practitioner, now=IN_FEBRUARY + timedelta(days=1))
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waitlisted")
    promoted = [m for m in sent() if m.to == [colleague.email]]
    assert "A place came up" in promoted[0].subject
    assert invites_in(promoted)[0][0] == "REQUEST"


def test_inside_the_notice_period_a_promotion_is_an_offer_not_a_booking(make_session, practitioner, colleague,
                                                                        outsider):
    session = make_session(capacity=1)
    first = book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    third = book_place(session, outsider, now=IN_FEBRUARY)
    late = london(2030, 3, 11, 9, 0)
    cancel_booking(first, by=practitioner, now=late)
    second.refresh_from_db()
    assert second.status == "waitlisted"
    assert second.offer_expires_at == late + timedelta(hours=24)
    assert "accept it by" in sent()[-1].subject
    # The offered place is held: the third person is not offered it too.
    third.refresh_from_db()
    assert third.offer_expires_at is None
    # Unanswered, it passes to the next person; the first is off the list at no charge.
    assert expire_offers(now=late + timedelta(hours=25)) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "cancelled" and "not answered" in second.end_reason
    assert third.offer_expires_at is not None
    assert expire_offers(now=late + timedelta(hours=25)) == 0  # never re-used


def test_accepting_an_offer_books_the_place(make_session, practitioner, colleague):
    session = make_session(capacity=1)
    first = book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    late = london(2030, 3, 11, 9, 0)
    cancel_booking(first, by=practitioner, now=late)
    accept_offer(second, now=late + timedelta(hours=1))
    second.refresh_from_db()
    assert second.status == "confirmed" and second.offer_expires_at is None
    assert invites_in(sent())[-1][0] == "REQUEST"
    with pytest.raises(Conflict, match="no open offer"):
        accept_offer(second, now=late + timedelta(hours=2))


def test_declining_an_offer_passes_it_on(make_session, practitioner, colleague, outsider):
    session = make_session(capacity=1)
    first = book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    third = book_place(session, outsider, now=IN_FEBRUARY)
    late = london(2030, 3, 11, 9, 0)
    cancel_booking(first, by=practitioner, now=late)
    decline_offer(second, now=late)
    third.refresh_from_db()
    assert third.offer_expires_at is not None


def test_a_lapsed_offer_cannot_be_accepted(make_session, practitioner, colleague):
    session = make_session(capacity=1)
    first = book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    late = london(2030, 3, 11, 9, 0)
    cancel_booking(first, by=practitioner, now=late)
    with pytest.raises(Conflict, match="lapsed"):
        accept_offer(second, now=late + timedelta(days=2))


def test_an_offer_never_outlives_the_session_start(make_session, practitioner, colleague):
    session = make_session(capacity=1)
    first = book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    cancel_booking(first, by=practitioner, now=london(2030, 3, 14, 8, 0))
    second.refresh_from_db()
    assert second.offer_expires_at == london(2030, 3, 14, 9, 30)


def test_no_offer_once_the_session_has_started(make_session, practitioner, colleague):
    session = make_session(capacity=1)
    book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    from bookings.services import promote_from_waitlist

    Booking.objects.filter(person=practitioner).update(status="cancelled")
    assert promote_from_waitlist(session, now=london(2030, 3, 14, 10, 0)) == []
    second.refresh_from_db()
    assert second.offer_expires_at is None


def test_raising_the_capacity_promotes_from_the_waiting_list(make_session, practitioner, colleague):
    session = make_session(capacity=1)
    book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    change_session(session, capacity=2)
    second.refresh_from_db()
    assert second.status == "confirmed"


def test_cancelling_an_ended_booking_is_a_conflict(session, practitioner):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    cancel_booking(booking, by=practitioner, now=IN_FEBRUARY)
    with pytest.raises(Conflict, match="already ended"):
        cancel_booking(booking, by=practitioner, now=IN_FEBRUARY)


def test_changing_the_session_sends_an_updated_invite_with_the_same_uid(session, practitioner, business_unit):
    from courses.services import Part

    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    change_session(session, parts=[Part(london(2030, 3, 14, 10, 0), london(2030, 3, 14, 16, 0))])
    (_, first), (method, update) = invites_in(sent())
    assert method == "REQUEST"
    assert f"UID:booking-{booking.pk}@training-hub" in update
    assert "SEQUENCE:1" in update
    assert "DTSTART;TZID=Europe/London:20300314T100000" in update


def test_cancelling_the_session_ends_every_booking_with_a_cancel_invite(make_session, practitioner, colleague):
    from courses.services import cancel_session

    session = make_session(capacity=1)
    first = book_place(session, practitioner, now=IN_FEBRUARY)
    second = book_place(session, colleague, now=IN_FEBRUARY)
    sent().clear()
    cancel_session(session, reason="Trainer unwell")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "cancelled")
    assert [m for m, _ in invites_in(sent())] == ["CANCEL"]
    assert all("Nobody will be charged" in m.body for m in sent())
