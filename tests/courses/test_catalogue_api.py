from courses import services
from courses.models import Course

URL = "/api/v1/courses/"


def new_course(**overrides):
    return {
        "title": "Prevent",
        "level": "basic",
        "theme": "Radicalisation",
        "summary": "The Prevent duty.",
        "duration_minutes": 120,
    } | overrides


def test_anyone_reads_the_catalogue_filtered_by_level(api, make_course):
    make_course("Prevent")
    make_course("Working Together to Safeguard Children Level 3", level="intermediate")
    data = api.get(URL, {"level": "intermediate"}).json()
    assert [c["title"] for c in data["results"]] == ["Working Together to Safeguard Children Level 3"]
    assert set(data["results"][0]) == {
        "id",
        "title",
        "level",
        "theme",
        "summary",
        "learning_outcomes",
        "duration_minutes",
        "prerequisites",
    }


def test_business_unit_creates_a_course_with_prerequisites(api_as, business_unit, make_course):
    level3 = make_course("Working Together to Safeguard Children Level 3", level="intermediate")
    response = api_as(business_unit).post(
        URL,
        new_course(title="Working Together Refresher", level="intermediate", prerequisites=[level3.pk]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["prerequisites"] == [level3.pk]


def test_practitioner_cannot_create_a_course(api_as, practitioner):
    assert api_as(practitioner).post(URL, new_course(), format="json").status_code == 403
    assert not Course.objects.exists()


def test_unknown_level_and_overlong_title_are_400(api_as, business_unit):
    client = api_as(business_unit)
    response = client.post(URL, new_course(level="expert"), format="json")
    assert response.status_code == 400
    assert "level" in response.json()["errors"]
    response = client.post(URL, new_course(title="x" * 201), format="json")
    assert response.status_code == 400
    assert "200 characters" in response.json()["detail"]


def test_a_prerequisite_cycle_is_refused(api_as, business_unit, make_course):
    basic = make_course("Basic")
    middle = make_course("Middle", prerequisites=[basic])
    top = make_course("Top", prerequisites=[middle])
    response = api_as(business_unit).patch(f"{URL}{basic.pk}/", {"prerequisites": [top.pk]}, format="json")
    assert response.status_code == 400
    assert "cycle" in response.json()["detail"]
    assert list(basic.prerequisites.all()) == []


def test_a_course_cannot_require_itself(api_as, business_unit, make_course):
    basic = make_course("Basic")
    response = api_as(business_unit).patch(f"{URL}{basic.pk}/", {"prerequisites": [basic.pk]}, format="json")
    assert response.status_code == 400
    assert "its own prerequisite" in response.json()["detail"]


def test_trainer_pool_lists_people_and_their_agencies(api_as, practitioner, course, trainer):
    services.add_to_pool(course, trainer)
    data = api_as(practitioner).get(f"{URL}{course.pk}/trainers/").json()["results"]
    assert data == [
        {
            "person": {"id": trainer.pk, "name": "Sam Hughes"},
            "agency": {"code": "cheshire-police", "name": "Cheshire Constabulary"},
        }
    ]


def test_business_unit_adds_and_removes_a_trainer(api_as, business_unit, course, colleague):
    client = api_as(business_unit)
    response = client.post(f"{URL}{course.pk}/trainers/", {"person": colleague.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["agency"]["code"] == "halton-bc"
    assert client.post(f"{URL}{course.pk}/trainers/", {"person": colleague.pk}, format="json").status_code == 409
    assert client.delete(f"{URL}{course.pk}/trainers/{colleague.pk}/").status_code == 204
    assert not course.pool.exists()


def test_a_trainer_allocated_to_a_future_session_stays_in_the_pool(
    api_as, business_unit, course, trainer, make_session
):
    services.add_to_pool(course, trainer)
    make_session(trainers=[trainer])
    response = api_as(business_unit).delete(f"{URL}{course.pk}/trainers/{trainer.pk}/")
    assert response.status_code == 409
    assert course.pool.filter(person=trainer).exists()


def test_practitioner_cannot_change_the_pool(api_as, practitioner, course, colleague):
    assert (
        api_as(practitioner).post(f"{URL}{course.pk}/trainers/", {"person": colleague.pk}, format="json").status_code
        == 403
    )
