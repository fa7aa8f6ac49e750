"""The network calendar at /, a partnership's own page at /p/{slug}/, the feeds, and the emails and invites that
say who delivers a session and whom to ask."""

import pytest

from bookings.services import book_place
from courses.models import Session
from people import roles
from people.models import Person
from tests.conftest import invites_in, sent
from tests.partnerships.four import four_partnerships


@pytest.fixture
def network(db):
    return four_partnerships()


@pytest.fixture
def shared(network, make_course, soon_session):
    """A Halton session open to the whole network, a Halton session for Halton's people, and a Warrington one for
    Warrington's people."""
    halton_course = make_course("Halton masterclass: contextual safeguarding")
    open_session = soon_session(course_=halton_course)
    Session.objects.filter(pk=open_session.pk).update(open_to="network")
    own_course = make_course("Halton basic: neglect")
    own = soon_session(course_=own_course)
    warrington_course = make_course("Warrington basic: early help")
    warrington_course.partnership = network["warrington"]
    warrington_course.save()
    theirs = soon_session(course_=warrington_course)
    return {"open": Session.objects.get(pk=open_session.pk), "own": own, "theirs": theirs}


@pytest.fixture
def warrington_officer(make_person, police, network):
    police.partnerships.add(*network.values())
    person = make_person("wendy@cheshire.police.uk", police, roles.PRACTITIONER, name="Wendy Warrington")
    Person.objects.filter(pk=person.pk).update(home_partnership=network["warrington"])
    person.refresh_from_db()
    return person


def test_signed_out_the_network_calendar_shows_what_is_open_to_the_network(client, shared):
    page = client.get("/").content.decode()
    assert "Halton masterclass: contextual safeguarding" in page
    assert "Halton basic: neglect" not in page and "Warrington basic: early help" not in page
    assert "Delivered by" in page and "Halton Children and Young People Safeguarding Partnership" in page
    assert "open to the whole network" in page


def test_signed_in_the_calendar_adds_the_home_partnerships_sessions(client, shared, warrington_officer):
    client.force_login(warrington_officer)
    page = client.get("/").content.decode()
    assert "Halton masterclass: contextual safeguarding" in page and "Warrington basic: early help" in page
    assert "Halton basic: neglect" not in page
    assert "Warrington Safeguarding Partnership" in page


def test_the_calendar_filters_by_delivering_partnership(client, shared, warrington_officer):
    client.force_login(warrington_officer)
    page = client.get("/", {"partnership": "warrington"}).content.decode()
    assert "Warrington basic: early help" in page and "Halton masterclass" not in page
    assert '<option value="cheshire-east">' in page
    assert "Select a valid choice" in client.get("/", {"partnership": "nowhere"}).content.decode()


def test_a_partnerships_own_page_names_it_its_contact_and_statements(client, shared):
    page = client.get("/p/halton/").content.decode()
    assert "<h1 class=\"govuk-heading-xl\">Halton Children and Young People Safeguarding Partnership</h1>" in page
    assert "mailto:halton@example.org" in page and "https://hcypsp.example.org/" in page
    assert 'href="/accessibility/"' in page and 'href="/privacy/"' in page
    assert "Halton masterclass: contextual safeguarding" in page and "Halton basic: neglect" in page
    assert "Warrington basic: early help" not in page
    assert "for its own people only" in page


def test_an_unknown_partnership_page_is_404(client, network):
    assert client.get("/p/nowhere/").status_code == 404
    assert client.get("/calendar/sessions.ics", {"partnership": "nowhere"}).status_code == 404
    assert client.get("/calendar/sessions.ics", {"partnership": "x%" * 5000}).status_code == 404


def test_the_feed_is_the_networks_or_one_partnerships(client, shared):
    network_feed = client.get("/calendar/sessions.ics").content.decode()
    assert "Halton masterclass" in network_feed and "Warrington basic" not in network_feed
    warrington = client.get("/calendar/sessions.ics", {"partnership": "warrington"}).content.decode()
    assert "Warrington basic" in warrington and "Halton masterclass" not in warrington
    assert "Delivered by Warrington Safeguarding Partnership" in warrington.replace("\r\n ", "")


def test_booking_emails_and_invites_name_the_delivering_partnership(shared, warrington_officer, mailoutbox):
    book_place(shared["open"], warrington_officer)
    emails = sent()
    body = emails[-1].body
    assert ("Delivered by Halton Children and Young People Safeguarding Partnership. "
            "Questions about this session: halton@example.org") in body
    (method, ics), = invites_in(emails[-1:])
    unfolded = ics.replace("\r\n ", "")
    assert "Delivered by Halton Children and Young People Safeguarding Partnership" in unfolded
    assert "halton@example.org" in unfolded
    book_place(shared["theirs"], warrington_officer)
    (method, ics), = invites_in(sent()[-1:])
    assert 'ORGANIZER;CN="Warrington Safeguarding Partnership"' in ics.replace("\r\n ", "")


def test_a_hub_of_one_shows_no_partnership(client, soon_session, practitioner, mailoutbox):
    session = soon_session()
    page = client.get("/").content.decode()
    assert "Delivered by" not in page and "Any partnership" not in page
    assert "Delivered by" not in client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Delivered by" not in client.get("/calendar/sessions.ics").content.decode()
    book_place(session, practitioner)
    assert "Delivered by" not in sent()[-1].body
    assert client.get("/p/halton/").status_code == 200


def test_an_email_or_document_about_a_session_carries_the_delivering_partnerships_name(
        shared, warrington_officer, mailoutbox):
    import io

    from pypdf import PdfReader

    from attendance.pdf import sign_in_sheet_pdf

    book_place(shared["theirs"], warrington_officer)
    html = sent()[-1].alternatives[0][0]
    assert "Warrington Safeguarding Partnership: training hub" in html
    assert "Halton Children and Young People Safeguarding Partnership" not in html
    sheet = " ".join(page.extract_text() for page in
                     PdfReader(io.BytesIO(sign_in_sheet_pdf(shared["theirs"], [], late_rule=""))).pages)
    assert "Warrington Safeguarding Partnership" in sheet and "Halton Children" not in sheet


def test_an_account_email_on_a_network_names_the_network(network, settings):
    from people.sites import current_site

    settings.NETWORK_NAME = "Pan-Cheshire safeguarding training"
    assert current_site().name == "Pan-Cheshire safeguarding training"
    settings.NETWORK_NAME = ""
    assert current_site().name == "Safeguarding training network"
