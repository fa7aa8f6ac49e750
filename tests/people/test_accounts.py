import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from people import roles
from people.models import Agency, Person
from people.permissions import may, roles_of
from tests.conftest import PASSWORD, sent


def sign_up(client, halton, **overrides):
    data = {
        "name": "Priya Shah",
        "email": "priya@halton.gov.uk",
        "agency": halton.code,
        "job_title": "Social worker",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides
    return client.post("/accounts/signup/", data)


def test_new_practitioner_signs_up_verifies_and_signs_in(client, halton):
    response = sign_up(client, halton)
    assert response.status_code == 302
    person = Person.objects.get(email="priya@halton.gov.uk")
    assert (person.name, person.agency, person.job_title) == ("Priya Shah", halton, "Social worker")
    assert roles_of(person) == {roles.PRACTITIONER}
    # Verification is mandatory: signing in before it only re-sends the email.
    client.logout()
    response = client.post("/accounts/login/", {"login": "priya@halton.gov.uk", "password": PASSWORD})
    assert response.status_code == 302 and "confirm-email" in response.url
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", sent()[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path).status_code == 302
    assert EmailAddress.objects.get(email="priya@halton.gov.uk").verified
    response = client.post("/accounts/login/", {"login": "priya@halton.gov.uk", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"email": "priya@gmail.com"}, "work email"),
        ({"email": "priya@ymail.com"}, "work email"),
        ({"email": "priya@msn.com"}, "work email"),
        ({"email": "priya@yahoo.fr"}, "work email"),
        ({"email": "priya@mailinator.com"}, "work email"),
        ({"email": "priya@inbox.mailinator.com"}, "work email"),
        ({"agency": ""}, "Choose the agency you work for"),
        ({"agency": 99999}, "Choose an agency from the list"),
        ({"job_title": ""}, "Enter your job title"),
    ],
)
def test_sign_up_needs_a_work_address_an_agency_and_a_job_title(client, halton, overrides, words):
    response = sign_up(client, halton, **overrides)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Person.objects.exists()


def test_password_reset_sends_a_link(client, practitioner):
    response = client.post("/accounts/password/reset/", {"email": practitioner.email})
    assert response.status_code == 302
    assert "password/reset/key" in sent()[-1].body


def test_add_person_creates_verified_people_and_unknown_agencies(db):
    call_command(
        "add_person",
        "a@probation.gov.uk",
        "b@probation.gov.uk",
        "--agency",
        "probation",
        "--roles",
        "practitioner,trainer",
        "--password",
        PASSWORD,
    )
    agency = Agency.objects.get(code="probation")
    assert agency.name == "probation"
    assert Person.objects.filter(agency=agency).count() == 2
    assert EmailAddress.objects.get(email="a@probation.gov.uk").verified
    assert roles_of(Person.objects.get(email="a@probation.gov.uk")) == {"practitioner", "trainer"}
    # Running it again updates rather than duplicates.
    call_command("add_person", "a@probation.gov.uk", "--agency", "probation", "--roles", "finance")
    assert roles_of(Person.objects.get(email="a@probation.gov.uk")) == {"finance"}


def test_add_person_refuses_an_unknown_role(db):
    with pytest.raises(CommandError, match="Unknown role wizard"):
        call_command("add_person", "a@halton.gov.uk", "--agency", "halton-bc", "--roles", "wizard")


def test_only_the_business_unit_manages_the_catalogue(practitioner, trainer, finance, business_unit, agency_manager):
    assert may(business_unit, "manage_catalogue")
    for person in (practitioner, trainer, finance, agency_manager):
        assert not may(person, "manage_catalogue")


def test_an_unknown_action_is_a_programming_error(practitioner):
    with pytest.raises(KeyError):
        may(practitioner, "launch_rockets")


def test_repeated_failed_sign_ins_are_rate_limited(client, practitioner):
    for _ in range(5):
        client.post("/accounts/login/", {"login": practitioner.email, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": practitioner.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_a_refusing_mail_server_does_not_lose_a_sign_up(client, halton, settings):
    from notifications.models import Message

    settings.EMAIL_BACKEND = "tests.failing_mail.RefusingBackend"
    response = sign_up(client, halton)
    assert response.status_code == 302
    assert Person.objects.filter(email="priya@halton.gov.uk").exists()
    waiting = Message.objects.get(kind="account:email_confirmation_signup")
    assert waiting.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "confirm-email" in sent()[-1].body


def test_an_agency_that_lists_its_domains_takes_sign_ups_only_from_them(client, halton):
    halton.email_domains = "halton.gov.uk"
    halton.save()
    response = sign_up(client, halton, email="priya@cheshire.police.uk")
    assert response.status_code == 200
    assert "Halton Borough Council staff sign up with an address at halton.gov.uk" in response.content.decode()
    assert not Person.objects.exists()
    assert sign_up(client, halton, email="priya@schools.halton.gov.uk").status_code == 302  # a subdomain
    assert Person.objects.get().agency == halton


def test_an_agency_without_domains_takes_any_work_address(client, halton):
    assert sign_up(client, halton, email="priya@some-charity.org.uk").status_code == 302


def sign_up_by_app(client, **overrides):
    body = {"email": "priya@halton.gov.uk", "password": PASSWORD, "name": "Priya Shah", "agency": "halton-bc",
            "job_title": "Social worker"} | overrides
    return client.post("/_allauth/app/v1/auth/signup", body, content_type="application/json")


def test_an_app_signs_up_with_the_same_details_as_the_web_form(client, halton):
    response = sign_up_by_app(client)
    assert response.status_code == 401  # allauth's answer: signed up, the email still to verify
    assert response.json()["data"]["flows"][-1] == {"id": "verify_email", "is_pending": True}
    person = Person.objects.get(email="priya@halton.gov.uk")
    assert (person.name, person.agency, person.job_title) == ("Priya Shah", halton, "Social worker")
    assert roles_of(person) == {roles.PRACTITIONER}


@pytest.mark.parametrize(
    ("overrides", "param", "words"),
    [
        ({"agency": ""}, "agency", "Choose the agency you work for"),
        ({"agency": "atlantis"}, "agency", "Choose an agency from the list"),
        ({"name": ""}, "name", "Enter your full name"),
        ({"job_title": ""}, "job_title", "Enter your job title"),
        ({"email": "priya@gmail.com"}, "email", "work email"),
        ({"email": "priya@yahoo.fr"}, "email", "work email"),
        ({"email": "priya@cheshire.police.uk"}, "email", "staff sign up with an address at halton.gov.uk"),
    ],
)
def test_an_app_cannot_sign_someone_up_without_an_agency_a_name_or_a_work_address(client, halton, overrides,
                                                                                   param, words):
    halton.email_domains = "halton.gov.uk"
    halton.save()
    response = sign_up_by_app(client, **overrides)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["param"] == param and words in e["message"] for e in errors), errors
    assert not Person.objects.exists()


def test_verification_and_reset_emails_name_the_partnership_and_its_address(client, halton, practitioner, settings):
    settings.PARTNERSHIP_NAME = "Halton Children and Young People Safeguarding Partnership"
    settings.SITE_URL = "https://training.example.gov.uk"
    sign_up(client, halton, email="sam.jones@halton.gov.uk")
    client.logout()
    client.post("/accounts/password/reset/", {"email": practitioner.email})
    verification, reset = sent()[-2:]
    assert (verification.subject, reset.subject) == ("[Training hub] Confirm your email address",
                                                     "[Training hub] Reset your password")
    for email in (verification, reset):
        assert "Hello from Halton Children and Young People Safeguarding Partnership!" in email.body
        assert "Thank you for using Halton Children and Young People Safeguarding Partnership!" in email.body
        assert "training.example.gov.uk" in email.body
        assert "from !" not in email.body and "using !" not in email.body
    assert "register an account on training.example.gov.uk." in verification.body


def test_the_emails_follow_a_change_of_the_partnership_name_and_address(client, practitioner, settings):
    settings.PARTNERSHIP_NAME = "Halton Safeguarding"
    settings.SITE_URL = "https://first.example.gov.uk"
    client.post("/accounts/password/reset/", {"email": practitioner.email})
    settings.PARTNERSHIP_NAME = "Runcorn and Widnes Safeguarding"
    settings.SITE_URL = "https://second.example.gov.uk:8443"
    client.post("/accounts/password/reset/", {"email": practitioner.email})
    first, second = sent()[-2:]
    assert "Hello from Halton Safeguarding!" in first.body and "first.example.gov.uk" in first.body
    assert "Hello from Runcorn and Widnes Safeguarding!" in second.body
    assert "second.example.gov.uk:8443" in second.body and "Halton Safeguarding" not in second.body
