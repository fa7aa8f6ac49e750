from datetime import timedelta

import pytest

from attendance.services import close_register
from bookings.services import book_place, cancel_booking, hand_over_booking
from charging.models import Charge, ChargingPolicy
from charging.services import approve_charge, approve_charges, change_policy, raise_charge, waive_charge
from lib.dates import london
from lib.errors import Conflict, Invalid
from tests.conftest import confirmed

IN_FEBRUARY = london(2030, 2, 1, 10, 0)
AFTER = london(2030, 3, 14, 17, 0)


def test_a_late_cancellation_raises_one_charge_for_the_agency(session, practitioner):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    cancel_booking(booking, by=practitioner, now=london(2030, 3, 12, 9, 0))
    charge = Charge.objects.get()
    assert (charge.reason, charge.agency.code, charge.amount_pence, charge.status) == (
        "late_cancellation", "halton-bc", 5000, "pending")
    assert raise_charge(booking, "late_cancellation") is None  # once per booking
    assert charge.decisions.get().action == "raised"


def test_a_short_session_costs_the_short_amount(make_session, practitioner):
    session = make_session(minutes=180)
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    cancel_booking(booking, by=practitioner, now=london(2030, 3, 13, 9, 0))
    assert Charge.objects.get().amount_pence == 2500


def test_no_charge_for_a_hand_over_or_a_session_the_partnership_cancelled(session, practitioner, colleague):
    from courses.services import cancel_session

    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    hand_over_booking(booking, to_email=colleague.email, now=london(2030, 3, 13, 9, 0))
    cancel_session(session, now=london(2030, 3, 13, 10, 0))
    assert not Charge.objects.exists()


def test_exempt_agencies_are_never_charged(past_session, practitioner, business_unit, halton, trainer):
    change_policy(by=business_unit, exempt_agencies=[halton])
    confirmed(past_session, practitioner)
    close_register(past_session, by=trainer, now=AFTER)
    assert not Charge.objects.exists()


def test_finance_waives_with_a_reason_or_approves(past_session, practitioner, colleague, finance, trainer):
    confirmed(past_session, practitioner, colleague)
    close_register(past_session, by=trainer, now=AFTER)
    first, second = Charge.objects.order_by("pk")
    with pytest.raises(Invalid, match="reason"):
        waive_charge(first, reason="  ", by=finance)
    with pytest.raises(Invalid, match="written request") as refused:
        waive_charge(first, reason="Sickness, on the line manager's written request", by=finance)
    assert refused.value.field == "detail"
    waive_charge(first, reason="Sickness, on the line manager's written request", detail="email of 14 March",
                 by=finance)
    approve_charge(second, by=finance)
    with pytest.raises(Conflict, match="Only a pending charge"):
        approve_charge(first, by=finance)  # approving a waived charge
    first.refresh_from_db()
    assert first.status == "waived"
    decisions = list(first.decisions.values_list("action", "by__name", "reason"))
    assert decisions[-1] == ("waived", "Fiona Clarke",
                             "Sickness, on the line manager's written request: email of 14 March")


def test_approving_many_is_all_or_nothing(past_session, practitioner, colleague, finance, trainer):
    confirmed(past_session, practitioner, colleague)
    close_register(past_session, by=trainer, now=AFTER)
    first, second = Charge.objects.order_by("pk")
    waive_charge(second, reason="Booking error", by=finance)
    with pytest.raises(Conflict):
        approve_charges([first, second], by=finance)
    first.refresh_from_db()
    assert first.status == "pending"


def test_a_policy_change_applies_to_charges_raised_after_it(session, make_session, practitioner, colleague,
                                                            business_unit):
    change_policy(by=business_unit, long_session_amount=9000)
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    cancel_booking(booking, by=practitioner, now=london(2030, 3, 13, 9, 0))
    assert Charge.objects.get().amount_pence == 9000
    assert ChargingPolicy.objects.get().updated_by == business_unit


def test_a_negative_amount_is_refused(business_unit, db):
    with pytest.raises(Invalid, match="whole number"):
        change_policy(by=business_unit, short_session_amount=-5)
    with pytest.raises(Invalid):
        change_policy(by=business_unit, short_session_amount=12.5)


def test_repeat_no_shows_need_the_agency_managers_approval(make_session, past_session, practitioner, trainer,
                                                           agency_manager):
    earlier = make_session(starts_at=london(2030, 2, 20, 9, 30), now=london(2030, 1, 6))
    confirmed(earlier, practitioner)
    confirmed(past_session, practitioner)
    close_register(earlier, by=trainer, now=london(2030, 2, 20, 17, 0))
    close_register(past_session, by=trainer, now=AFTER)
    later = make_session(starts_at=london(2030, 4, 10, 9, 30), now=london(2030, 3, 15))
    booking = book_place(later, practitioner, now=london(2030, 3, 16, 9, 0))
    assert booking.status == "pending_approval"
    assert booking.line_manager_email == agency_manager.email


def test_one_no_show_does_not_trigger_approval(make_session, past_session, practitioner, trainer, agency_manager):
    confirmed(past_session, practitioner)
    close_register(past_session, by=trainer, now=AFTER)
    later = make_session(starts_at=london(2030, 4, 10, 9, 30), now=london(2030, 3, 15))
    assert book_place(later, practitioner, now=london(2030, 3, 16, 9, 0) + timedelta(0)).status == "confirmed"
