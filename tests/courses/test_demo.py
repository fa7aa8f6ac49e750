"""The demo data the run command loads: every demo account finds work waiting, and loading twice changes nothing."""

from attendance.selectors import sessions_delivered_by
from bookings.models import Booking
from certificates.models import Certificate
from charging.models import Charge
from charging.selectors import charges_visible_to
from courses.models import Session
from demo.data import load_demo
from lib.dates import london
from people.models import Person

NOW = london(2026, 11, 23, 10, 0)  # a Monday


def test_every_demo_account_has_work_waiting_and_a_second_load_changes_nothing(db):
    load_demo(now=NOW)
    me = Person.objects.get(email="practitioner@halton.gov.uk")
    coming = Booking.objects.filter(person=me, status="confirmed", session__starts_at__gt=NOW)
    assert coming.count() == 2  # one in a room, one online
    assert {b.session.format for b in coming} == {"in_person", "online"}
    attended = Booking.objects.filter(person=me, status="attended").order_by("session__starts_at")
    assert attended.count() == 2
    assert Certificate.objects.filter(booking=attended[0]).exists()  # evaluated: a certificate
    assert not hasattr(attended[1], "evaluation")  # an evaluation still to write

    trainer = Person.objects.get(email="trainer@cheshire.police.uk")
    sessions = sessions_delivered_by(trainer, now=NOW)
    assert len(sessions.to_take) == 1 and sessions.to_take[0].held == 3  # Friday's register is open
    assert [(s.came, s.no_shows) for s in sessions.delivered] == [(2, 1), (2, 0)]

    pending = Charge.objects.filter(status="pending")
    assert sorted((c.agency.code, c.reason) for c in pending) == [
        ("bridgewater", "no_show"), ("riverside-college", "late_cancellation")]
    manager = Person.objects.get(email="manager@bridgewater.nhs.uk")
    assert [c.agency.code for c in charges_visible_to(manager)] == ["bridgewater"]

    counts = (Booking.objects.count(), Session.objects.count(), Charge.objects.count(), Person.objects.count())
    load_demo(now=NOW)
    assert (Booking.objects.count(), Session.objects.count(), Charge.objects.count(),
            Person.objects.count()) == counts
