import pytest

from tests.conftest import confirmed


def url(session, tail=""):
    return f"/api/v1/sessions/{session.pk}/register/{tail}"


def test_trainer_reads_marks_and_closes_through_the_api(api_as, past_session, practitioner, colleague, trainer):
    a, b = confirmed(past_session, practitioner, colleague)
    client = api_as(trainer)
    data = client.get(url(past_session)).json()
    assert data["closed"] is False
    assert [(r["person"]["name"], r["outcome"]) for r in data["rows"]] == [("Priya Shah", None), ("Tom Walsh", None)]
    early = client.post(url(past_session), {"marks": [{"booking": a.pk, "outcome": "attended"}]}, format="json")
    assert early.status_code == 409
    assert "opens on the day of the session" in early.json()["detail"]
    from django.utils import timezone

    from courses.models import Session

    Session.objects.filter(pk=past_session.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=2))
    response = client.post(url(past_session), {"marks": [{"booking": a.pk, "outcome": "attended"}]}, format="json")
    assert response.status_code == 200
    response = client.post(url(past_session, "close/"))
    assert response.status_code == 200, response.json()
    assert [r["outcome"] for r in response.json()["rows"]] == ["attended", "no_show"]
    again = client.post(url(past_session), {"marks": [{"booking": b.pk, "outcome": "attended"}]}, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize("persona", ["practitioner", "finance", "agency_manager", "outsider"])
def test_only_the_sessions_trainers_and_the_business_unit_take_the_register(api_as, past_session, persona,
                                                                            request):
    client = api_as(request.getfixturevalue(persona))
    assert client.get(url(past_session)).status_code == 403
    assert client.post(url(past_session, "close/")).status_code == 403


def test_a_trainer_of_another_session_cannot_take_this_register(api_as, make_session, make_person, police,
                                                                course):
    from courses.services import add_to_pool
    from lib.dates import london
    from people import roles

    other_trainer = make_person("ali@cheshire.police.uk", police, roles.TRAINER)
    add_to_pool(course, other_trainer)
    theirs = make_session(starts_at=london(2030, 4, 1, 9, 30), trainers=[other_trainer])
    mine = make_session(starts_at=london(2030, 4, 2, 9, 30))
    assert api_as(other_trainer).get(url(theirs)).status_code == 200
    assert api_as(other_trainer).get(url(mine)).status_code == 403


def test_an_unknown_outcome_is_400(api_as, past_session, practitioner, trainer):
    [a] = confirmed(past_session, practitioner)
    response = api_as(trainer).post(url(past_session), {"marks": [{"booking": a.pk, "outcome": "late"}]},
                                    format="json")
    assert response.status_code == 400
