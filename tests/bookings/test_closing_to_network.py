"""A session open to the network changed to open only to its own partnership (Halton's).

A place given is not taken away: Warrington's people already booked, or waiting for their line manager, keep
their places. Warrington's people on the waiting list (or holding an open offer) can never be given a place
now, so they leave the list at no charge and are told why, naming Halton and whom to ask; the places kept for
Warrington go; Halton's people waiting move up. The business unit hears all this before (closing_effect)
and after (the change's `closing`)."""

from datetime import timedelta

import pytest

from bookings.models import Booking
from bookings.selectors import closing_effect, waitlist_position
from bookings.services import book_place, cancel_booking
from bookings.services.closing import Closing, Dropped
from charging.models import Charge
from courses.services import change_session
from lib.dates import london
from lib.errors import Invalid
from people import roles
from people.directory import contact_email_of
from people.models import Agency
from people.partnerships import default_partnership
from tests.conftest import sent

IN_FEBRUARY = london(2030, 2, 1, 10, 0)
STARTS = london(2030, 3, 14, 9, 30)
HALTON = "Halton Children and Young People Safeguarding Partnership"


@pytest.fixture
def full_session(make_session, from_warrington, from_halton):
    """Four places, one kept for Warrington: Wendy (Warrington) and three of Halton's booked; Wes and Will
    (Warrington) and Holly (Halton) waiting, in the order Wes, Holly, Will."""
    session = make_session(capacity=4, open_to="network", reserved_places={"warrington": 1})
    people = {name: (from_warrington if name.startswith("w") else from_halton)(name)
              for name in ("wendy", "hal", "hannah", "harry", "wes", "holly", "will")}
    bookings = {name: book_place(session, person, now=IN_FEBRUARY) for name, person in people.items()}
    assert [bookings[n].status for n in ("wendy", "hal", "hannah", "harry")] == ["confirmed"] * 4
    assert [bookings[n].status for n in ("wes", "holly", "will")] == ["waitlisted"] * 3
    return session, people, bookings


def status(booking) -> str:
    booking.refresh_from_db()
    return booking.status


def test_places_given_are_kept_and_other_partnerships_waiting_leave_the_list(full_session):
    session, people, bookings = full_session
    before = closing_effect(session)
    assert before == Closing(keeping=1, taken_off=2, dropped=(Dropped("warrington", "Warrington Safeguarding "
                                                                                     "Partnership", 1),))
    changed = change_session(session, open_to="partnership", reserved_places={}, now=IN_FEBRUARY)
    assert changed.closing == before  # the page's warning and the change agree
    assert status(bookings["wendy"]) == "confirmed"  # a place given is not taken away
    for name in ("wes", "will"):
        assert status(bookings[name]) == "cancelled"
        assert bookings[name].end_reason == "session opened only to the delivering partnership's people"
    assert status(bookings["holly"]) == "waitlisted" and waitlist_position(bookings["holly"]) == 1
    assert not session.reservations.exists()
    assert not Charge.objects.exists()  # nothing is charged for leaving the list
    cancel_booking(bookings["hal"], by=people["hal"], now=IN_FEBRUARY)
    assert status(bookings["holly"]) == "confirmed"  # Halton's waiting move up, as they always could


def test_each_person_taken_off_is_told_why_naming_the_partnership_and_whom_to_ask(full_session):
    session, people, _ = full_session
    sent()  # the booking emails
    from django.core import mail
    mail.outbox.clear()
    change_session(session, open_to="partnership", reserved_places={}, now=IN_FEBRUARY)
    emails = {m.to[0]: m for m in sent()}
    assert set(emails) == {people["wes"].email, people["will"].email}
    email = emails[people["wes"].email]
    assert email.subject.endswith("is now open only to its partnership: you are off the waiting list")
    assert HALTON in email.body and "open only to its own partnership's people" in email.body
    assert contact_email_of(default_partnership()) in email.body
    assert "nothing is charged" in email.body


def test_an_open_offer_of_another_partnerships_person_goes_and_the_place_goes_on(make_session, from_warrington,
                                                                                  from_halton):
    """Inside the notice period a freed place is an offer: Wes's (Warrington) ends, and Holly (Halton) has it."""
    session = make_session(capacity=1, open_to="network")
    hal, wes, holly = from_halton("hal"), from_warrington("wes"), from_halton("holly")
    held = book_place(session, hal, now=IN_FEBRUARY)
    waiting = [book_place(session, person, now=IN_FEBRUARY) for person in (wes, holly)]
    late = STARTS - timedelta(days=2)
    cancel_booking(held, by=hal, now=late)
    waiting[0].refresh_from_db()
    assert waiting[0].offer_expires_at is not None  # Wes holds the offer
    changed = change_session(session, open_to="partnership", now=late)
    assert changed.closing == Closing(keeping=0, taken_off=1)
    assert status(waiting[0]) == "cancelled"
    waiting[1].refresh_from_db()
    assert waiting[1].offer_expires_at is not None and waiting[1].status == "waitlisted"  # Holly's offer now
    assert Booking.objects.filter(session=session).holding_a_place(late).count() == 1  # never more than one


def test_a_place_waiting_for_approval_is_kept(make_session, warrington, make_person):
    agency = Agency.objects.create(code="asks", name="Asking Agency", kind="voluntary", email_domains="asks.org.uk",
                                   requires_line_manager_approval=True)
    agency.partnerships.add(warrington)
    person = make_person("pat@asks.org.uk", agency, roles.PRACTITIONER)
    person.home_partnership = warrington
    person.save()
    session = make_session(capacity=5, open_to="network")
    booking = book_place(session, person, line_manager_email="boss@asks.org.uk", now=IN_FEBRUARY)
    changed = change_session(session, open_to="partnership", now=IN_FEBRUARY)
    assert changed.closing == Closing(keeping=1)
    assert status(booking) == "pending_approval"


def test_places_kept_for_another_partnership_must_be_let_go_in_the_change(full_session):
    """Nothing is dropped unasked: a change keeping Warrington's place on a session open only to Halton is
    refused, and leaves everyone where they were."""
    session, _, bookings = full_session
    with pytest.raises(Invalid) as refused:
        change_session(session, open_to="partnership", now=IN_FEBRUARY)
    assert "only on a session open to the network" in refused.value.message
    assert status(bookings["wes"]) == "waitlisted" and session.reservations.count() == 1


def test_other_changes_and_a_hub_of_one_say_nothing_of_closing(make_session, from_halton):
    session = make_session(capacity=2, open_to="network")
    book_place(session, from_halton("hal"), now=IN_FEBRUARY)
    assert change_session(session, capacity=3, now=IN_FEBRUARY).closing is None
    changed = change_session(session, open_to="partnership", now=IN_FEBRUARY)
    assert changed.closing == Closing() and not changed.closing  # nobody of another partnership was there
    assert closing_effect(changed) == Closing()  # already open only to its partnership


def test_the_api_answers_what_the_change_did(api_as, business_unit, full_session):
    session, _, _ = full_session
    response = api_as(business_unit).patch(f"/api/v1/sessions/{session.pk}/",
                                           {"open_to": "partnership", "reserved_places": {}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["closed_to_network"] == {
        "places_kept_by_other_partnerships": 1, "taken_off_waiting_list": 2,
        "reserved_places_dropped": {"warrington": 1}}
    assert response.json()["open_to"] == "partnership" and response.json()["waitlist_length"] == 1
    other = api_as(business_unit).patch(f"/api/v1/sessions/{session.pk}/", {"capacity": 5}, format="json")
    assert "closed_to_network" not in other.json()


def test_the_page_says_what_the_change_does_before_the_business_unit_confirms(client, business_unit, full_session,
                                                                               warrington):
    from tests.courses.test_pages import form_data

    session, _, bookings = full_session
    client.force_login(business_unit)
    form = client.get(f"/sessions/{session.pk}/change/").context["form"]
    data = {key: value for key, value in form_data(session.course, capacity=4).items() if key != "course"}
    data |= {"open_to": "partnership", f"reserve_{warrington.pk}": str(form.initial[f"reserve_{warrington.pk}"])}
    page = client.post(f"/sessions/{session.pk}/change/", data)
    assert page.status_code == 200  # asked, not done
    assert not page.context["form"].errors, page.context["form"].errors
    assert page.context["closing"], page.context["closing"]
    words = page.content.decode()
    assert f"Opening this session only to {HALTON}'s people" in words
    assert "1 person of other partnerships keeps their place: a place given is not taken away." in words
    assert "2 people of other partnerships on the waiting list are taken off it, at no charge" in words
    assert "The 1 place kept for Warrington Safeguarding Partnership is dropped." in words
    assert "Confirm and save session" in words
    session.refresh_from_db()
    assert session.open_to == "network" and status(bookings["wes"]) == "waitlisted"
    done = client.post(f"/sessions/{session.pk}/change/", data | {"confirm_closing": "yes"}, follow=True)
    assert done.redirect_chain, done.context["form"].errors
    said = done.content.decode()
    assert "2 people of other partnerships on the waiting list were taken off it" in said
    session.refresh_from_db()
    assert session.open_to == "partnership" and not session.reservations.exists()
    assert status(bookings["wes"]) == "cancelled" and status(bookings["wendy"]) == "confirmed"


def test_the_page_changes_at_once_when_nobody_else_is_concerned(client, business_unit, make_session, warrington):
    from tests.courses.test_pages import form_data

    session = make_session(capacity=4, open_to="network")
    client.force_login(business_unit)
    data = {key: value for key, value in form_data(session.course, capacity=4).items() if key != "course"}
    response = client.post(f"/sessions/{session.pk}/change/", data | {"open_to": "partnership"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.open_to == "partnership"
