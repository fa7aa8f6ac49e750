"""Every free-text field has a stated limit: shown on the form with GOV.UK's character count, and past it
the answer is refused with a message saying so. Nothing is cut short silently, and nothing is saved."""

import pytest

from attendance.services import close_register, mark
from certificates.models import ANSWER_MAX, Evaluation
from certificates.services import answer_follow_up, submit_evaluation
from lib.dates import london
from lib.errors import Invalid
from resources.models import NOTE_MAX, Dissemination, Resource, WorkedThrough
from tests.conftest import confirmed

AFTER = london(2030, 3, 14, 17, 0)
GOOD = {"confidence_before": 2, "confidence_after": 4, "learning": "The ERASE tool.",
        "impact_statement": "I will use ERASE in my assessments."}


@pytest.fixture
def attended(past_session, practitioner, trainer):
    (booking,) = confirmed(past_session, practitioner)
    mark(past_session, [(booking.pk, "attended")], by=trainer, now=AFTER)
    close_register(past_session, by=trainer, now=AFTER)
    booking.refresh_from_db()
    return booking


@pytest.fixture
def resource(halton):
    return Resource.objects.create(title="Strategy meetings", theme="S47", kind="sway", owner_agency=halton,
                                   url="https://sway.cloud.microsoft/s47")


def test_a_long_evaluation_answer_is_refused_with_a_message_not_cut(client, attended, practitioner):
    client.force_login(practitioner)
    page = client.get(f"/bookings/{attended.pk}/evaluation/").content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="10000"' in page
    assert "You can enter up to 10,000 characters" in page
    response = client.post(f"/bookings/{attended.pk}/evaluation/",
                           GOOD | {"learning": "x" * (ANSWER_MAX + 1)})
    assert response.status_code == 200
    assert "What you learnt must be 10,000 characters or fewer" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_the_services_refuse_what_is_past_the_limit_whoever_calls_them(attended, practitioner):
    with pytest.raises(Invalid, match="10,000 characters or fewer"):
        submit_evaluation(attended, by=practitioner, **GOOD | {"impact_statement": "y" * (ANSWER_MAX + 1)})
    assert not Evaluation.objects.exists()
    evaluation = submit_evaluation(attended, by=practitioner, **GOOD | {"learning": "z" * ANSWER_MAX})
    assert len(evaluation.learning) == ANSWER_MAX  # the limit itself is kept whole
    with pytest.raises(Invalid, match="Your answer must be 10,000 characters or fewer"):
        answer_follow_up(evaluation, by=practitioner, answer="a" * (ANSWER_MAX + 1))
    evaluation.refresh_from_db()
    assert evaluation.follow_up_answer == ""


def test_the_evaluation_api_refuses_a_long_answer(api_as, attended, practitioner):
    response = api_as(practitioner).post(f"/api/v1/bookings/{attended.pk}/evaluation/",
                                         GOOD | {"learning": "x" * 1_000_000}, format="json")
    assert response.status_code == 400 and "learning" in response.json()["errors"]
    assert not Evaluation.objects.exists()


def test_a_dissemination_note_has_a_limit_on_the_page_and_in_the_api(client, api_as, agency_manager, resource):
    client.force_login(agency_manager)
    page = client.get(f"/resources/{resource.pk}/").content.decode()
    assert f'data-maxlength="{NOTE_MAX}"' in page
    response = client.post(f"/resources/{resource.pk}/", {
        "action": "disseminate", "date": "2030-01-10", "format": "team_meeting", "staff_briefed": "5",
        "note": "n" * (NOTE_MAX + 1)})
    assert "The note must be 2,000 characters or fewer" in response.content.decode()
    response = api_as(agency_manager).post(f"/api/v1/resources/{resource.pk}/disseminations/", {
        "date": "2030-01-10", "staff_briefed": 5, "note": "n" * 2_000_000}, format="json")
    assert response.status_code in (400, 413)
    assert not Dissemination.objects.exists()


def test_a_reflection_past_its_limit_is_a_message_and_the_words_typed_stay_on_the_page(client, practitioner,
                                                                                       resource):
    client.force_login(practitioner)
    page = client.get(f"/resources/{resource.pk}/").content.decode()
    assert 'data-maxlength="5000"' in page
    response = client.post(f"/resources/{resource.pk}/", {"action": "worked_through", "reflection": "r" * 5001})
    body = response.content.decode()
    assert "Your reflection must be 5,000 characters or fewer" in body and "r" * 5001 in body
    assert not WorkedThrough.objects.exists()


def test_a_cancellation_reason_past_its_limit_is_refused_not_cut(client, business_unit, session):
    client.force_login(business_unit)
    response = client.post(f"/sessions/{session.pk}/cancel/", {"reason": "c" * 301})
    assert "The reason must be 300 characters or fewer" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "scheduled"
