"""A business unit of several partnerships chooses which one it runs the programme for; one of one sees no choice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services as course_services
from courses.models import Course
from lib.dates import LONDON
from lib.errors import NotAllowed
from people import roles
from people.models import Agency, Partnership
from people.partnerships import default_partnership
from people.services import grant_role
from resources.models import Briefing, Resource
from resources.services import write_briefing
from reviews.models import LearningReview
from tests.conftest import sent


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")


@pytest.fixture
def both(business_unit, warrington):
    """Beth runs Halton's programme and, from today, Warrington's too."""
    grant_role(business_unit, roles.BUSINESS_UNIT, partnership=warrington)
    return business_unit


@pytest.fixture
def w_session(make_session, warrington):
    w_course = course_services.create_course(title="Warrington's own course", level="basic", theme="Neglect",
                                             duration_minutes=180, summary="Theirs.", partnership=warrington)
    now = timezone.now()
    day = (now + timedelta(days=20)).astimezone(LONDON).date()
    return make_session(course_=w_course, starts_at=timezone.datetime(day.year, day.month, day.day, 9, 30,
                                                                      tzinfo=LONDON), now=now)


def test_a_business_unit_of_one_partnership_sees_no_choice(client, business_unit, warrington):
    client.force_login(business_unit)
    page = client.get("/programme/").content.decode()
    assert "Change partnership" not in page and "Warrington" not in page


def test_a_business_unit_of_several_chooses_and_sees_that_partnerships_programme(
        client, both, warrington, soon_session, w_session):
    halton_session = soon_session()
    client.force_login(both)
    page = client.get("/programme/").content.decode()
    assert "Change partnership" in page
    assert f"/sessions/{halton_session.pk}/" in page and f"/sessions/{w_session.pk}/" not in page  # the first's

    response = client.post("/programme/", {"partnership": warrington.pk}, follow=True)
    page = response.content.decode()
    assert "You are running the programme for Warrington Safeguarding Partnership." in page
    assert f"/sessions/{w_session.pk}/" in page and f"/sessions/{halton_session.pk}/" not in page

    form = client.get("/sessions/new/").content.decode()
    assert "Warrington&#x27;s own course" in form and "Understanding Neglect" not in form


def test_choosing_a_partnership_you_do_not_run_changes_nothing(client, business_unit, warrington, soon_session):
    halton_session = soon_session()
    client.force_login(business_unit)
    page = client.post("/programme/", {"partnership": warrington.pk}, follow=True).content.decode()
    assert "Choose one of the partnerships you run the programme for." in page
    assert f"/sessions/{halton_session.pk}/" in page


def test_what_the_business_unit_makes_belongs_to_the_partnership_it_chose(
        client, both, warrington, halton, make_person):
    client.force_login(both)
    client.post("/programme/", {"partnership": warrington.pk})

    client.post("/resources/new/", {"title": "Warrington's guide", "theme": "Neglect", "kind": "document",
                                    "url": "https://warrington.example/guide", "owner_agency": halton.pk})
    assert Resource.objects.get(title="Warrington's guide").partnership == warrington

    client.post("/learning/reviews/new/", {"kind": "cspr", "title": "Child W", "date": "2025-01-01"})
    assert LearningReview.objects.get(title="Child W").partnership == warrington

    client.post("/manage/courses/course/add/", {
        "title": "Warrington's new course", "level": "basic", "theme": "Neglect", "duration_minutes": "60",
        "summary": "New.", "is_active": "on", "pool-TOTAL_FORMS": "0", "pool-INITIAL_FORMS": "0"})
    assert Course.objects.get(title="Warrington's new course").partnership == warrington


def test_a_briefing_goes_to_its_partnerships_people_only(client, both, warrington, practitioner, make_person, halton):
    wbc = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council")
    wendy = make_person("wendy@warrington.gov.uk", wbc, name="Wendy Ward")
    wendy.home_partnership = warrington
    wendy.save(update_fields=["home_partnership"])
    client.force_login(both)
    client.post("/programme/", {"partnership": warrington.pk})
    client.post("/briefings/new/", {"title": "Warrington briefing 1", "body": "News."})
    briefing = Briefing.objects.get(title="Warrington briefing 1")
    assert briefing.partnership == warrington
    assert sorted(m.to[0] for m in sent() if m.subject == "Warrington briefing 1") == ["wendy@warrington.gov.uk"]


def test_a_briefing_includes_only_its_own_partnerships_sessions(both, warrington, soon_session):
    with pytest.raises(NotAllowed):
        write_briefing(title="Mixed", body="News.", sessions=[soon_session()], by=both, partnership=warrington)


def test_the_api_asks_a_business_unit_of_several_which_partnership_a_new_course_is_for(api_as, both, warrington):
    api = api_as(both)
    body = {"title": "Asked", "level": "basic", "theme": "Neglect", "summary": "x", "duration_minutes": 60}
    unnamed = api.post("/api/v1/courses/", body, format="json")
    assert unnamed.status_code == 400
    assert "Say which partnership this is for: one of halton, warrington." in unnamed.content.decode()
    named = api.post("/api/v1/courses/", body | {"partnership": "warrington"}, format="json")
    assert named.status_code == 201, named.content
    assert Course.objects.get(title="Asked").partnership == warrington
    assert "partnership" not in named.json()  # what a course says about itself is unchanged
    unknown = api.post("/api/v1/courses/", body | {"title": "Other", "partnership": "nowhere"}, format="json")
    assert unknown.status_code == 400


def test_a_business_unit_of_one_needs_name_no_partnership(api_as, business_unit, warrington):
    body = {"title": "Plain", "level": "basic", "theme": "Neglect", "summary": "x", "duration_minutes": 60}
    assert api_as(business_unit).post("/api/v1/courses/", body, format="json").status_code == 201
    assert Course.objects.get(title="Plain").partnership == default_partnership()


def test_a_role_ticked_in_the_admin_without_a_grant_counts_on_a_hub_of_one_only(make_person, halton, course):
    from django.contrib.auth.models import Group

    from people.permissions import may

    ticked = make_person("tick@halton.gov.uk", halton)
    ticked.groups.add(Group.objects.get(name=roles.BUSINESS_UNIT))
    assert may(ticked, "manage_catalogue", course)
    Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    ticked = type(ticked).objects.get(pk=ticked.pk)
    assert not may(ticked, "manage_catalogue", course)


def test_the_admin_never_offers_to_move_a_row_to_another_partnership(client, both, warrington):
    client.force_login(both)
    client.post("/programme/", {"partnership": warrington.pk})
    assert 'name="partnership"' not in client.get("/manage/reviews/learningreview/add/").content.decode()
    client.post("/manage/reviews/learningreview/add/", {
        "kind": "cspr", "title": "Child A", "date": "2025-02-01", "themes-TOTAL_FORMS": "0",
        "themes-INITIAL_FORMS": "0"})
    assert LearningReview.objects.get(title="Child A").partnership == warrington


@pytest.mark.parametrize("slug", ["nowhere", "\ud800", "war\x00rington", "x" * 5000, "WARRINGTON"])
def test_a_partnership_named_wrongly_is_a_clear_400(api_as, both, warrington, slug):
    body = {"title": "Named", "level": "basic", "theme": "Neglect", "summary": "x", "duration_minutes": 60,
            "partnership": slug}
    import json

    # json.dumps keeps to ASCII: a lone surrogate travels as "\udXXX", as a client would send it
    response = api_as(both).post("/api/v1/courses/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert not Course.objects.filter(title="Named").exists()
