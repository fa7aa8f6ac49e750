"""Adjustments a person asks for when booking (access needs): for the trainers and the business unit only,
and erased once they can no longer be used."""

from datetime import timedelta

from django.utils import timezone

from bookings.models import Booking
from bookings.services import book_place, cancel_booking, hand_over_booking
from courses import services as course_services
from privacy.services import erase_adjustments, export_personal_data

NEED = "Step-free access, please: I use a wheelchair."


def test_a_practitioner_asks_for_adjustments_on_the_booking_page(client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "Do you need any adjustments to take part? (optional)" in page
    client.post(f"/sessions/{session.pk}/book/", {"adjustments": f"  {NEED}  "})
    assert Booking.objects.get(person=practitioner).adjustments == NEED


def test_an_app_gives_adjustments_with_the_booking_and_too_many_words_are_a_400(api_as, practitioner, colleague,
                                                                                soon_session):
    session = soon_session()
    response = api_as(practitioner).post(f"/api/v1/sessions/{session.pk}/book/", {"adjustments": NEED}, format="json")
    assert response.status_code == 201
    assert "adjustments" not in response.json()  # never shown back where others might read it
    assert Booking.objects.get(person=practitioner).adjustments == NEED
    response = api_as(colleague).post(f"/api/v1/sessions/{session.pk}/book/", {"adjustments": "x" * 1001},
                                      format="json")
    assert response.status_code == 400
    assert "1000 characters or fewer" in response.json()["detail"]
    assert not Booking.objects.filter(person=colleague).exists()


def test_trainers_and_the_business_unit_see_them_and_nobody_else(client, api_as, practitioner, colleague, trainer,
                                                                 business_unit, agency_manager, course, make_session):
    course_services.add_to_pool(course, trainer)
    now = timezone.now()
    session = make_session(starts_at=now - timedelta(hours=1), trainers=[trainer], now=now - timedelta(days=30))
    book_place(session, practitioner, adjustments=NEED, now=now - timedelta(days=20))
    for person, path in ((trainer, f"/sessions/{session.pk}/register/"),
                         (business_unit, f"/sessions/{session.pk}/bookings/"),
                         (business_unit, f"/sessions/{session.pk}/bookings/?format=csv")):
        client.force_login(person)
        assert NEED in client.get(path).content.decode(), path
    rows = api_as(trainer).get(f"/api/v1/sessions/{session.pk}/register/").json()["rows"]
    assert [r["adjustments"] for r in rows] == [NEED]
    for person in (colleague, agency_manager):
        for path in ("/api/v1/bookings/", f"/api/v1/sessions/{session.pk}/"):
            assert "wheelchair" not in api_as(person).get(path).content.decode(), (person, path)
    client.force_login(agency_manager)
    assert "wheelchair" not in client.get("/agency/completions/").content.decode()


def test_they_are_erased_once_the_session_is_over_or_the_booking_ends(practitioner, colleague, make_person, halton,
                                                                       make_session):
    now = timezone.now()
    later = make_session(starts_at=now + timedelta(days=30), now=now - timedelta(days=2))
    over = make_session(starts_at=now - timedelta(days=2), now=now - timedelta(days=30))
    third = make_person("sam@halton.gov.uk", halton)
    kept = book_place(later, practitioner, adjustments=NEED, now=now - timedelta(days=1))
    cancelled = book_place(later, colleague, adjustments="Large print", now=now - timedelta(days=1))
    cancel_booking(cancelled, by=colleague, now=now)
    finished = Booking.objects.create(session=over, person=third, status="attended", adjustments="A hearing loop")
    assert export_personal_data(practitioner)["bookings"][0]["adjustments"] == NEED
    assert erase_adjustments(now=now) == 2
    assert Booking.objects.get(pk=kept.pk).adjustments == NEED
    assert Booking.objects.get(pk=cancelled.pk).adjustments == ""
    assert Booking.objects.get(pk=finished.pk).adjustments == ""


def test_a_place_handed_to_a_colleague_does_not_carry_the_first_persons_needs(practitioner, colleague, soon_session):
    booking = book_place(soon_session(), practitioner, adjustments=NEED)
    new = hand_over_booking(booking, to_email=colleague.email)
    assert new.adjustments == ""


def test_a_refused_booking_gives_back_what_was_typed(client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    typed = "I need a hearing loop and the slides beforehand. " * 25  # past the limit
    response = client.post(f"/sessions/{session.pk}/book/", {"adjustments": typed}, follow=True)
    page = response.content.decode()
    assert "1000 characters or fewer" in page
    assert '<p id="adjustments-error" class="govuk-error-message">' in page  # on the field, too
    assert typed.strip() in page  # back in the box, to shorten
    assert not Booking.objects.filter(person=practitioner).exists()
    assert typed.strip() not in client.get(f"/sessions/{session.pk}/").content.decode()  # given back once


def test_a_missing_line_managers_email_is_said_on_its_field(client, practitioner, halton, soon_session):
    halton.requires_line_manager_approval = True
    halton.save()
    session = soon_session()
    client.force_login(practitioner)
    page = client.post(f"/sessions/{session.pk}/book/", {"adjustments": NEED}, follow=True).content.decode()
    assert '<p id="line_manager_email-error" class="govuk-error-message">' in page
    assert "approval: give your line manager" in page
    assert NEED in page  # what they typed is still there
