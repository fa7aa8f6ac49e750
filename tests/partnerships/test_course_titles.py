"""A course title is unique within its partnership, not across the hub: Halton and Warrington may each run
"Neglect: basic", while one partnership giving a title it already has is refused with words a person can act on."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from courses import services as course_services
from courses.models import Course
from lib.errors import Invalid
from people import roles
from people.models import Partnership
from people.partnerships import default_partnership
from people.services import grant_role

TITLE = "Neglect: basic"
TAKEN = ("Warrington Safeguarding Partnership already has a course called {!r}: give this one another title, or "
         "change that course instead.")


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")


@pytest.fixture
def both(business_unit, warrington):
    """Beth runs Halton's programme and Warrington's."""
    grant_role(business_unit, roles.BUSINESS_UNIT, partnership=warrington)
    return business_unit


def make(title=TITLE, partnership=None) -> Course:
    return course_services.create_course(title=title, level="basic", theme="Neglect", duration_minutes=180,
                                         summary="A course.", partnership=partnership)


def test_two_partnerships_each_have_a_course_of_the_same_title(warrington):
    halton_s, warrington_s = make(), make(partnership=warrington)
    assert halton_s.pk != warrington_s.pk
    assert set(Course.objects.filter(title=TITLE).values_list("partnership__slug", flat=True)) == {
        "halton", "warrington"}


def test_a_partnership_giving_a_title_it_has_is_refused_in_any_capitals(warrington):
    make(partnership=warrington)
    make()  # Halton's does not stand in the way
    with pytest.raises(Invalid) as error:
        make("NEGLECT: Basic", partnership=warrington)
    assert str(error.value) == TAKEN.format("NEGLECT: Basic")
    assert error.value.field == "title"
    assert Course.objects.filter(partnership=warrington).count() == 1


def test_renaming_to_a_title_of_the_same_partnership_is_refused_and_to_another_s_allowed(warrington):
    make(partnership=warrington)
    other = make("Neglect: intermediate", partnership=warrington)
    make("Prevent")  # Halton's
    with pytest.raises(Invalid) as error:
        course_services.change_course(other, title=TITLE)
    assert str(error.value) == TAKEN.format(TITLE)
    course_services.change_course(other, title="Prevent")
    course_services.change_course(other, title="Prevent")  # its own title again
    assert Course.objects.filter(title="Prevent").count() == 2


def test_on_a_hub_of_one_the_words_are_as_before(db):
    make()
    with pytest.raises(Invalid, match="^A course called 'neglect: basic' already exists.$"):
        make("neglect: basic")


def test_the_database_keeps_one_title_per_partnership(warrington):
    make()
    Course.objects.create(title=TITLE, level="basic", theme="Neglect", summary="x", duration_minutes=60,
                          partnership=warrington)
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.create(title=TITLE, level="basic", theme="Neglect", summary="x", duration_minutes=60,
                              partnership=warrington)
    again = Course(title=TITLE, level="basic", theme="Neglect", summary="x", duration_minutes=60,
                   partnership=warrington)
    with pytest.raises(ValidationError, match="The partnership already has a course of that title"):
        again.full_clean()


BODY = {"title": TITLE, "level": "basic", "theme": "Neglect", "summary": "A course.", "duration_minutes": 180}


def test_the_api_makes_a_course_of_the_same_title_for_each_partnership(api_as, both, warrington):
    api = api_as(both)
    for slug in ("halton", "warrington"):
        response = api.post("/api/v1/courses/", BODY | {"partnership": slug}, format="json")
        assert response.status_code == 201, response.content
    assert set(Course.objects.filter(title=TITLE).values_list("partnership__slug", flat=True)) == {
        "halton", "warrington"}

    again = api.post("/api/v1/courses/", BODY | {"title": "neglect: basic", "partnership": "warrington"},
                     format="json")
    assert again.status_code == 400
    assert again.json()["errors"]["title"] == [TAKEN.format("neglect: basic")]
    assert Course.objects.filter(partnership=warrington).count() == 1


def test_the_api_refuses_a_rename_to_a_title_the_partnership_has(api_as, both, warrington):
    make(partnership=warrington)
    other = make("Neglect: intermediate", partnership=warrington)
    response = api_as(both).patch(f"/api/v1/courses/{other.pk}/", {"title": TITLE}, format="json")
    assert response.status_code == 400
    assert TAKEN.format(TITLE) in response.content.decode()


def test_the_api_on_a_hub_of_one_refuses_a_title_twice_as_before(api_as, business_unit):
    api = api_as(business_unit)
    assert api.post("/api/v1/courses/", BODY, format="json").status_code == 201
    again = api.post("/api/v1/courses/", BODY, format="json")
    assert again.status_code == 400
    assert f"A course called {TITLE!r} already exists." in again.content.decode()


ADMIN_FORM = {"title": TITLE, "level": "basic", "theme": "Neglect", "duration_minutes": "60", "summary": "New.",
              "is_active": "on", "pool-TOTAL_FORMS": "0", "pool-INITIAL_FORMS": "0"}


def test_the_admin_makes_a_course_of_halton_s_title_for_warrington_and_refuses_it_twice(client, both, warrington):
    make()  # Halton's
    client.force_login(both)
    client.post("/programme/", {"partnership": warrington.pk})
    response = client.post("/manage/courses/course/add/", ADMIN_FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Course.objects.get(title=TITLE, partnership=warrington)

    again = client.post("/manage/courses/course/add/", ADMIN_FORM | {"title": "NEGLECT: BASIC"})
    assert again.status_code == 200
    assert TAKEN.format("NEGLECT: BASIC") in unescape(again.content.decode())
    assert Course.objects.filter(partnership=warrington).count() == 1


def test_the_admin_refuses_renaming_to_a_title_the_course_s_partnership_has(client, both, warrington):
    make()  # Halton's, which does not stand in the way
    make(partnership=warrington)
    other = make("Neglect: intermediate", partnership=warrington)
    client.force_login(both)
    url = f"/manage/courses/course/{other.pk}/change/"
    response = client.post(url, ADMIN_FORM)
    assert response.status_code == 200
    assert TAKEN.format(TITLE) in unescape(response.content.decode())
    assert client.post(url, ADMIN_FORM | {"title": "Neglect: intermediate"}).status_code == 302  # its own title


def test_the_admin_on_a_hub_of_one_refuses_a_title_twice_as_before(client, business_unit):
    make()
    client.force_login(business_unit)
    response = client.post("/manage/courses/course/add/", ADMIN_FORM)
    assert response.status_code == 200
    assert f"A course called {TITLE!r} already exists." in unescape(response.content.decode())
    assert Course.objects.count() == 1
