"""The demo data the run command loads: every demo account finds work waiting, and loading twice changes nothing."""

from attendance.selectors import sessions_delivered_by
from bookings.models import Booking
from certificates.models import Certificate
from charging.models import Charge
from charging.selectors import charges_visible_to
from courses.models import Course, Session, SessionReservation
from demo.data import load_demo
from lib.dates import london
from people import roles
from people.models import Agency, Partnership, Person, RoleGrant
from people.partnerships import is_network, partnership_ids_for, sessions_open_to
from people.permissions import roles_of

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


def test_the_demo_is_the_pan_cheshire_network_with_halton_first(db):
    load_demo(now=NOW)
    slugs = ["halton", "cheshire-west", "cheshire-east", "warrington"]
    assert list(Partnership.objects.values_list("slug", flat=True)) == slugs and is_network()
    network = {slug: Partnership.objects.get(slug=slug) for slug in slugs}
    assert network["halton"].contact_email == "CYPSafeguardingPartnership@halton.gov.uk"
    assert all(p.contact_email and p.website for p in network.values())

    # The police and the ICB serve all four; each partnership has its council and agencies of its own.
    for code in ("cheshire-police", "cm-icb"):
        assert sorted(Agency.objects.get(code=code).partnerships.values_list("slug", flat=True)) == sorted(slugs)
    councils = {"halton": "halton-bc", "cheshire-west": "cwac", "cheshire-east": "cheshire-east-council",
                "warrington": "warrington-bc"}
    for slug, council in councils.items():
        own = Agency.objects.filter(partnerships=network[slug]).exclude(
            partnerships__in=[p for s, p in network.items() if s != slug])
        assert council in set(own.values_list("code", flat=True)) and own.count() >= 3

    # Each delivers its own courses and sessions; the masterclasses of the other three are open to the network.
    for partnership in network.values():
        assert Course.objects.filter(partnership=partnership).count() >= 4
        assert Session.objects.filter(course__partnership=partnership, starts_at__gt=NOW).count() >= 5
    assert Session.objects.filter(course__partnership=network["halton"], starts_at__gt=NOW).count() == 36
    shared = Session.objects.filter(open_to="network")
    assert shared.count() == 3 and {s.course.level for s in shared} == {"masterclass"}
    assert {s.course.partnership.slug for s in shared} == {"cheshire-west", "cheshire-east", "warrington"}

    # Warrington's masterclass keeps ten places for Halton's people until a date before its booking closes.
    reservation = SessionReservation.objects.get()
    session = reservation.session
    assert (session.course.partnership.slug, reservation.partnership.slug, reservation.places) == (
        "warrington", "halton", 10)
    assert NOW < session.reserved_until < session.booking_closes_at < session.starts_at
    assert Booking.objects.filter(session=session, person__email="detective@cheshire.police.uk",
                                  person__home_partnership=network["halton"]).exists()

    # People have home partnerships, and book their own partnership's sessions and the network's.
    people = {p.email: p for p in Person.objects.all()}
    assert people["practitioner@halton.gov.uk"].home_partnership is None  # the first: Halton's, as before
    assert people["constable@cheshire.police.uk"].home_partnership == network["warrington"]
    for booking in Booking.objects.exclude(session__course__partnership=network["halton"]):
        assert Session.objects.filter(sessions_open_to(booking.person), pk=booking.session_id).exists()
    assert Booking.objects.filter(person__email="constable@cheshire.police.uk",
                                  session__course__partnership=network["cheshire-west"]).exists()

    # The demo accounts: a second partnership's business unit, finance and trainer, a trainer for three
    # partnerships, the network lead; Halton's keep their roles for Halton only.
    def held(email, role):
        return {p.slug for p in Partnership.objects.filter(pk__in=partnership_ids_for(people[email], role))}

    assert held("business@warrington.gov.uk", roles.BUSINESS_UNIT) == {"warrington"}
    assert held("finance@warrington.gov.uk", roles.FINANCE) == {"warrington"}
    assert held("trainer@warrington.gov.uk", roles.TRAINER) == {"warrington"}
    assert held("exploitation@cheshire.police.uk", roles.TRAINER) == {"cheshire-west", "cheshire-east", "warrington"}
    assert held("business@halton.gov.uk", roles.BUSINESS_UNIT) == {"halton"}
    assert held("trainer@cheshire.police.uk", roles.TRAINER) == {"halton"}
    assert roles_of(people["network@cheshireandmerseyside.nhs.uk"]) == {roles.NETWORK_LEAD}
    assert not RoleGrant.objects.filter(person=people["network@cheshireandmerseyside.nhs.uk"]).exists()
    assert people["business@warrington.gov.uk"].check_password("training-hub-demo")

    counts = (Partnership.objects.count(), Agency.objects.count(), RoleGrant.objects.count(),
              SessionReservation.objects.count(), Session.objects.count(), Booking.objects.count())
    load_demo(now=NOW)
    assert (Partnership.objects.count(), Agency.objects.count(), RoleGrant.objects.count(),
            SessionReservation.objects.count(), Session.objects.count(), Booking.objects.count()) == counts
