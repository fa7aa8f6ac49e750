"""Names and job titles show in other people's emails and pages: they hold no web address, control
characters or text-direction characters, and emails never turn what a person typed into a link."""

import pytest
from django.conf import settings

from bookings.services import book_place, hand_over_booking
from lib.dates import london
from lib.errors import Invalid
from lib.text import check_name
from people.models import Agency, Person
from people.services import add_person, create_agency
from tests.conftest import sent
from tests.people.test_accounts import sign_up, sign_up_by_app

BAD_NAMES = ["https://evil.example", "Tom www.evil.example", "javascript:alert(1)", "Bob\x01Smith",
             "Line\nbreak", "Ali\u202eecilA", "Zero\u200bwidth", "mailto:a@b.example"]


@pytest.mark.parametrize("name", ["Priya Shah", "Siobhán O'Brien", "Anne-Marie Smith-Jones", "J. R. Hartley",
                                  "محمد علي", "李小龙", "Dr Lee (Named nurse)"])
def test_real_names_are_plain(name):
    assert check_name(name) is None


@pytest.mark.parametrize("name", BAD_NAMES)
def test_sign_up_refuses_a_name_that_is_not_plain_text(client, halton, name):
    response = sign_up(client, halton, name=name)
    assert response.status_code == 200
    assert "Full name must not contain" in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize("name", BAD_NAMES[:3])
def test_an_app_cannot_sign_up_with_a_link_for_a_name_or_job_title(client, halton, name):
    for field in ("name", "job_title"):
        response = sign_up_by_app(client, **{field: name})
        assert response.status_code == 400
        assert "must not contain" in str(response.json()["errors"])
    assert not Person.objects.exists()


def test_agencies_and_operators_cannot_give_a_link_for_a_name(halton):
    with pytest.raises(Invalid, match="must not contain a web address"):
        create_agency(code="x", name="https://evil.example", kind="other")
    with pytest.raises(Invalid, match="must not contain control characters"):
        add_person("a@halton.gov.uk", agency=halton, role_names=["practitioner"], password=None, name="A\x1b[31m")
    assert not Agency.objects.filter(code="x").exists() and not Person.objects.filter(email="a@halton.gov.uk").exists()


def test_a_name_that_looks_like_a_link_is_not_a_link_in_the_hand_over_email(session, practitioner, colleague):
    Person.objects.filter(pk=practitioner.pk).update(name="Visit https://evil.example now")  # from before the rule
    practitioner.refresh_from_db()
    booking = book_place(session, practitioner, now=london(2030, 2, 1))
    hand_over_booking(booking, to_email=colleague.email, now=london(2030, 2, 1))
    email = next(m for m in sent() if m.to == [colleague.email])
    html = email.alternatives[0][0]
    assert "Visit https://evil.example now" in html
    assert 'href="https://evil.example' not in html
    assert f'<a href="{settings.SITE_URL}/' in html  # the hub's own links stay links
