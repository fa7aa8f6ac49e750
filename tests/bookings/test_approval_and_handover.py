import re
from datetime import timedelta

import pytest

from bookings.models import Booking
from bookings.services import book_place, decide_approval, expire_approvals, hand_over_booking
from lib.dates import london
from lib.errors import Conflict, Invalid
from tests.conftest import invites_in, sent

IN_FEBRUARY = london(2030, 2, 1, 10, 0)


@pytest.fixture
def approving_agency(halton, practitioner, colleague):
    halton.requires_line_manager_approval = True
    halton.save()
    practitioner.refresh_from_db()
    colleague.refresh_from_db()
    return halton


def links(outbox):
    to_manager = [m for m in outbox if m.to == ["boss@halton.gov.uk"]][-1]
    approve = re.search(r"/approvals/(\S+)/", to_manager.body.split("Decline")[0]).group(1)
    decline = re.search(r"Decline it: \S+/approvals/(\S+)/", to_manager.body).group(1)
    return approve, decline


def test_line_manager_approves_through_a_single_use_link(client, approving_agency, session, practitioner):
    booking = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    approve, _ = links(sent())
    page = client.get(f"/approvals/{approve}/")
    assert page.status_code == 200 and "Approve Priya Shah" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == "pending_approval"  # a GET (a mail scanner) never decides
    assert client.post(f"/approvals/{approve}/").status_code == 200
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert invites_in(sent())[-1][0] == "REQUEST"
    again = client.post(f"/approvals/{approve}/")
    assert again.status_code == 409 and "already been answered" in again.content.decode()


def test_line_manager_declines_and_the_place_goes_to_the_waiting_list(approving_agency, make_session, practitioner,
                                                                      outsider):
    session = make_session(capacity=1)
    booking = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    waiting = book_place(session, outsider, now=IN_FEBRUARY)
    assert waiting.status == "waitlisted"
    _, decline = links(sent())
    decide_approval(decline, now=IN_FEBRUARY + timedelta(hours=1))
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert (booking.status, waiting.status) == ("cancelled", "confirmed")


def test_a_forged_link_is_refused(client, db):
    response = client.get("/approvals/not-a-real-token/")
    assert response.status_code == 400
    with pytest.raises(Invalid):
        decide_approval("not-a-real-token")


def test_unanswered_approval_releases_the_place(approving_agency, make_session, practitioner, outsider):
    session = make_session(capacity=1)
    booking = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    waiting = book_place(session, outsider, now=IN_FEBRUARY)
    assert expire_approvals(now=IN_FEBRUARY + timedelta(hours=71)) == 0
    assert expire_approvals(now=IN_FEBRUARY + timedelta(hours=73)) == 1
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.status == "cancelled" and "not given in time" in booking.end_reason
    assert waiting.status == "confirmed"
    approve, _ = links(sent())
    with pytest.raises(Conflict):
        decide_approval(approve, now=IN_FEBRUARY + timedelta(hours=74))


def test_a_promotion_from_the_waiting_list_still_needs_approval(approving_agency, make_session, outsider,
                                                                practitioner):
    session = make_session(capacity=1)
    first = book_place(session, outsider, now=IN_FEBRUARY)
    waiting = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    assert waiting.status == "waitlisted"
    from bookings.services import cancel_booking

    cancel_booking(first, by=outsider, now=IN_FEBRUARY + timedelta(days=1))
    waiting.refresh_from_db()
    assert waiting.status == "pending_approval"


def test_handing_a_place_to_a_colleague_moves_it_with_invites(session, practitioner, colleague):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    new = hand_over_booking(booking, to_email="TOM@halton.gov.uk", now=IN_FEBRUARY)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.handed_over_to == new
    assert new.person == colleague and new.status == "confirmed"
    methods = [(m.to[0], method) for m in sent() for method, _ in invites_in([m])]
    assert methods == [("priya@halton.gov.uk", "REQUEST"), ("priya@halton.gov.uk", "CANCEL"),
                       ("tom@halton.gov.uk", "REQUEST")]


@pytest.mark.parametrize(("email", "error", "words"), [
    ("olly@cheshire.police.uk", Invalid, "only to a colleague at Halton Borough Council"),
    ("nobody@halton.gov.uk", Invalid, "has an account"),
    ("priya@halton.gov.uk", Invalid, "your own email"),
])
def test_hand_over_refuses_people_outside_the_agency(session, practitioner, outsider, email, error, words):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    with pytest.raises(error, match=words):
        hand_over_booking(booking, to_email=email, now=IN_FEBRUARY)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert Booking.objects.count() == 1


def test_hand_over_to_someone_already_booked_is_a_conflict(session, practitioner, colleague):
    booking = book_place(session, practitioner, now=IN_FEBRUARY)
    book_place(session, colleague, now=IN_FEBRUARY)
    with pytest.raises(Conflict, match="already has a place"):
        hand_over_booking(booking, to_email=colleague.email, now=IN_FEBRUARY)


@pytest.mark.parametrize(("email", "words"), [
    ("priya@halton.gov.uk", "cannot be approved by the person booked"),
    (" Priya+boss@HALTON.gov.uk ", "cannot be approved by the person booked"),
    ("priya.shah@gmail.com", "not a personal one"),
    ("boss@hotmail.co.uk", "not a personal one"),
    ("boss", "correct format"),
])
def test_the_line_manager_is_someone_else_at_a_work_address(approving_agency, session, practitioner, email, words):
    with pytest.raises(Invalid, match=words) as refused:
        book_place(session, practitioner, line_manager_email=email, now=IN_FEBRUARY)
    assert refused.value.field == "line_manager_email"
    assert not Booking.objects.exists() and sent() == []


def test_the_line_manager_works_at_one_of_the_agencys_domains_when_it_lists_them(approving_agency, make_session,
                                                                                  practitioner):
    approving_agency.email_domains = "halton.gov.uk"
    approving_agency.save()
    practitioner.refresh_from_db()
    with pytest.raises(Invalid, match="at halton.gov.uk: approval must come from Halton Borough Council"):
        book_place(make_session(), practitioner, line_manager_email="boss@wirral.gov.uk", now=IN_FEBRUARY)
    booking = book_place(make_session(), practitioner, line_manager_email="boss@children.halton.gov.uk",
                         now=IN_FEBRUARY)
    assert booking.status == "pending_approval" and booking.line_manager_email == "boss@children.halton.gov.uk"


def test_a_self_approval_is_refused_on_the_page_and_in_the_api(client, api_as, approving_agency, soon_session,
                                                               practitioner):
    session = soon_session()
    client.force_login(practitioner)
    client.post(f"/sessions/{session.pk}/book/", {"line_manager_email": "priya@halton.gov.uk"})
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert '<p id="line_manager_email-error" class="govuk-error-message">' in page
    assert "cannot be approved by the person booked on it" in page
    response = api_as(practitioner).post(f"/api/v1/sessions/{session.pk}/book/",
                                         {"line_manager_email": "priya.shah@gmail.com"}, format="json")
    assert response.status_code == 400 and "not a personal one" in response.json()["detail"]
    assert not Booking.objects.exists()


def test_a_place_handed_to_a_colleague_whose_agency_asks_for_approval_waits_for_their_line_manager(
        approving_agency, make_session, practitioner, colleague, outsider):
    session = make_session(capacity=1)
    booking = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    decide_approval(links(sent())[0], now=IN_FEBRUARY)
    with pytest.raises(Invalid, match="give Tom Walsh's line manager's work email") as refused:
        hand_over_booking(booking, to_email=colleague.email, now=IN_FEBRUARY)
    assert refused.value.field == "line_manager_email"
    booking.refresh_from_db()
    assert booking.status == "confirmed" and Booking.objects.count() == 1
    waiting = book_place(session, outsider, now=IN_FEBRUARY)
    sent().clear()

    new = hand_over_booking(booking, to_email=colleague.email, line_manager_email="Tom.Boss@halton.gov.uk",
                            now=IN_FEBRUARY)
    assert new.status == "pending_approval" and new.line_manager_email == "tom.boss@halton.gov.uk"
    mail = sent()
    assert [(m.to[0], method) for m in mail for method, _ in invites_in([m])] == [("priya@halton.gov.uk", "CANCEL")]
    to_tom = [m for m in mail if m.to == ["tom@halton.gov.uk"]]
    assert len(to_tom) == 1 and "Priya Shah has handed you their place" in to_tom[0].body
    to_manager = [m for m in mail if m.to == ["tom.boss@halton.gov.uk"]]
    assert "Priya Shah has handed their place to Tom Walsh" in to_manager[0].body
    decline = re.search(r"Decline it: \S+/approvals/(\S+)/", to_manager[0].body).group(1)
    decide_approval(decline, now=IN_FEBRUARY + timedelta(hours=1))
    new.refresh_from_db()
    waiting.refresh_from_db()
    assert (new.status, waiting.status) == ("cancelled", "confirmed")  # declined: the next person waiting


def test_the_colleague_handing_over_cannot_approve_the_place(approving_agency, session, practitioner, colleague):
    booking = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    decide_approval(links(sent())[0], now=IN_FEBRUARY)
    for email, words in (("priya@halton.gov.uk", "cannot approve a place you are handing over"),
                         ("tom@halton.gov.uk", "cannot be approved by the person booked"),
                         ("tom@gmail.com", "not a personal one")):
        with pytest.raises(Invalid, match=words):
            hand_over_booking(booking, to_email=colleague.email, line_manager_email=email, now=IN_FEBRUARY)
    assert Booking.objects.count() == 1


def test_a_colleague_with_repeated_no_shows_needs_the_agency_managers_approval_for_a_handed_over_place(
        make_session, past_session, practitioner, colleague, trainer, agency_manager):
    from attendance.services import close_register
    from tests.conftest import confirmed

    earlier = make_session(starts_at=london(2030, 2, 20, 9, 30), now=london(2030, 1, 6))
    confirmed(earlier, colleague)
    confirmed(past_session, colleague)
    close_register(earlier, by=trainer, now=london(2030, 2, 20, 17, 0))
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))
    later = make_session(starts_at=london(2030, 4, 10, 9, 30), now=london(2030, 3, 15))
    booking = book_place(later, practitioner, now=london(2030, 3, 16, 9, 0))
    assert booking.status == "confirmed"  # Halton does not ask for approval: the repeat rule alone applies
    new = hand_over_booking(booking, to_email=colleague.email, now=london(2030, 3, 16, 10, 0))
    assert new.status == "pending_approval" and new.line_manager_email == agency_manager.email


def test_the_hand_over_page_asks_for_the_colleagues_line_manager(client, api_as, approving_agency, soon_session,
                                                                  practitioner, colleague):
    booking = Booking.objects.create(session=soon_session(), person=practitioner, status="confirmed")
    client.force_login(practitioner)
    page = client.get(f"/bookings/{booking.pk}/hand-over/").content.decode()
    assert 'for="line_manager_email"' in page and "waits for their line manager" in page
    refused = client.post(f"/bookings/{booking.pk}/hand-over/", {"email": colleague.email,
                                                                "line_manager_email": practitioner.email})
    assert '<p id="line_manager_email-error" class="govuk-error-message">' in refused.content.decode()
    response = api_as(practitioner).post(f"/api/v1/bookings/{booking.pk}/transfer/", {"email": colleague.email},
                                         format="json")
    assert response.status_code == 400 and "line manager" in response.json()["detail"]
    response = api_as(practitioner).post(f"/api/v1/bookings/{booking.pk}/transfer/",
                                         {"email": colleague.email, "line_manager_email": "boss@halton.gov.uk"},
                                         format="json")
    assert response.status_code == 201 and response.json()["status"] == "pending_approval"


def test_a_line_manager_given_where_no_approval_is_asked_still_passes_the_rule(session, practitioner):
    """Kept with the booking, it would approve the place if the agency began asking for approval while the
    person waited: so it is someone else's work address too, or the booking is refused."""
    with pytest.raises(Invalid, match="cannot be approved by the person booked"):
        book_place(session, practitioner, line_manager_email="priya@halton.gov.uk", now=IN_FEBRUARY)
    assert not Booking.objects.exists()
    booking = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    assert booking.status == "confirmed"


@pytest.mark.parametrize("email", [
    '"priya"@halton.gov.uk', '"Priya"@Halton.Gov.UK', '"pri\\ya"@halton.gov.uk', '"priya+hub"@halton.gov.uk',
    "  PRIYA@HALTON.GOV.UK  ", "Priya Shah <priya@halton.gov.uk>", '"Priya Shah" <Priya@halton.gov.uk>',
    "priya@halton.gov.uk.", "Priya <PRIYA@halton.gov.uk.>",
])
def test_the_bookers_own_address_in_any_spelling_is_refused_as_their_own(approving_agency, session, practitioner,
                                                                          email):
    with pytest.raises(Invalid, match="cannot be approved by the person booked on it") as refused:
        book_place(session, practitioner, line_manager_email=email, now=IN_FEBRUARY)
    assert refused.value.field == "line_manager_email"
    assert not Booking.objects.exists() and sent() == []


def test_a_line_manager_typed_with_a_display_name_or_quotes_is_kept_as_one_plain_address(approving_agency,
                                                                                        make_session, practitioner):
    booking = book_place(make_session(), practitioner, line_manager_email=' Sam Boss <"Boss"@Halton.gov.uk.> ',
                         now=IN_FEBRUARY)
    assert booking.status == "pending_approval" and booking.line_manager_email == "boss@halton.gov.uk"


@pytest.mark.parametrize("email", ['"priya"@halton.gov.uk', "Priya Shah <PRIYA@halton.gov.uk.>",
                                   " Priya@Halton.gov.uk "])
def test_the_colleague_handing_over_cannot_approve_in_another_spelling_either(approving_agency, session,
                                                                             practitioner, colleague, email):
    booking = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    decide_approval(links(sent())[0], now=IN_FEBRUARY)
    with pytest.raises(Invalid, match="cannot approve a place you are handing over"):
        hand_over_booking(booking, to_email=colleague.email, line_manager_email=email, now=IN_FEBRUARY)
    with pytest.raises(Invalid, match="cannot be approved by the person booked"):
        hand_over_booking(booking, to_email=colleague.email, line_manager_email=f'"Tom" <{colleague.email}.>',
                          now=IN_FEBRUARY)
    assert Booking.objects.count() == 1


def test_a_place_handed_to_an_agency_manager_waits_for_approval_like_anyone_elses(approving_agency, session,
                                                                                   practitioner, agency_manager):
    booking = book_place(session, practitioner, line_manager_email="boss@halton.gov.uk", now=IN_FEBRUARY)
    decide_approval(links(sent())[0], now=IN_FEBRUARY)
    with pytest.raises(Invalid, match="line manager's work email"):
        hand_over_booking(booking, to_email=agency_manager.email, now=IN_FEBRUARY)
    with pytest.raises(Invalid, match="cannot be approved by the person booked"):
        hand_over_booking(booking, to_email=agency_manager.email, line_manager_email=agency_manager.email.upper(),
                          now=IN_FEBRUARY)
    new = hand_over_booking(booking, to_email=agency_manager.email, line_manager_email="director@halton.gov.uk",
                            now=IN_FEBRUARY)
    assert new.status == "pending_approval" and new.line_manager_email == "director@halton.gov.uk"


def test_an_agency_manager_handing_over_cannot_approve_the_place_they_hand_over(approving_agency, session,
                                                                                 agency_manager, colleague):
    booking = book_place(session, agency_manager, line_manager_email="director@halton.gov.uk", now=IN_FEBRUARY)
    decide_approval(re.search(r"/approvals/(\S+)/", [m for m in sent() if m.to == ["director@halton.gov.uk"]][-1]
                              .body).group(1), now=IN_FEBRUARY)
    with pytest.raises(Invalid, match="cannot approve a place you are handing over"):
        hand_over_booking(booking, to_email=colleague.email, line_manager_email=f" <{agency_manager.email}> ",
                          now=IN_FEBRUARY)
    new = hand_over_booking(booking, to_email=colleague.email, line_manager_email="boss@halton.gov.uk",
                            now=IN_FEBRUARY)
    assert new.status == "pending_approval"


def test_the_repeat_no_show_approval_never_goes_to_the_manager_handing_the_place_over(
        make_session, past_session, colleague, trainer, agency_manager, make_person, halton):
    from attendance.services import close_register
    from people import roles
    from tests.conftest import confirmed

    earlier = make_session(starts_at=london(2030, 2, 20, 9, 30), now=london(2030, 1, 6))
    confirmed(earlier, colleague)
    confirmed(past_session, colleague)
    close_register(earlier, by=trainer, now=london(2030, 2, 20, 17, 0))
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17, 0))
    later = make_session(starts_at=london(2030, 4, 10, 9, 30), now=london(2030, 3, 15))
    other = make_person("zoe.manager@halton.gov.uk", halton, roles.AGENCY_MANAGER, name="Zoe Other")
    booking = book_place(later, agency_manager, now=london(2030, 3, 16, 9, 0))
    assert booking.status == "confirmed"
    assert agency_manager.name < other.name  # the manager handing over would be the first one asked
    new = hand_over_booking(booking, to_email=colleague.email, now=london(2030, 3, 16, 10, 0))
    assert new.status == "pending_approval" and new.line_manager_email == other.email
