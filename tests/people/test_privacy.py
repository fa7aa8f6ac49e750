from datetime import timedelta

from django.utils import timezone

from bookings.models import Booking
from people.models import Person
from privacy.services import anonymise_inactive
from reports.selectors import Filters, totals


def test_a_person_downloads_everything_held_about_them(client, practitioner, session):
    Booking.objects.create(session=session, person=practitioner, status="confirmed", line_manager_email="b@x.uk")
    client.force_login(practitioner)
    response = client.get("/account/my-data.json")
    data = response.json()
    assert data["person"]["email"] == "priya@halton.gov.uk"
    assert data["bookings"][0]["course"] == "Understanding Neglect and Local Procedures"
    assert data["bookings"][0]["line_manager_email"] == "b@x.uk"
    assert "attachment" in response["Content-Disposition"]


def test_long_inactive_people_are_anonymised_and_the_statistics_stay(practitioner, colleague, make_session):
    old = make_session(starts_at=timezone.now() - timedelta(days=8 * 365), now=timezone.now() - timedelta(days=9 * 365))
    Booking.objects.create(session=old, person=practitioner, status="no_show",
                           booked_at=timezone.now() - timedelta(days=8 * 365))
    Person.objects.filter(pk=practitioner.pk).update(date_joined=timezone.now() - timedelta(days=9 * 365),
                                                     last_login=timezone.now() - timedelta(days=8 * 365))
    before = totals(Filters())
    assert anonymise_inactive(years=6) == 1
    practitioner.refresh_from_db()
    assert practitioner.name.startswith("Former member") and practitioner.email.endswith("@anonymised.invalid")
    assert not practitioner.is_active
    assert totals(Filters()) == before  # every figure the reports need is kept
    colleague.refresh_from_db()
    assert colleague.email == "tom@halton.gov.uk"  # active people are untouched
    assert anonymise_inactive(years=6) == 0
