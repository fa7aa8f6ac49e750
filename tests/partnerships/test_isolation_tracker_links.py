"""The learning tracker's learning actions on a network: a recommendation of Halton's review is answered by Halton's
courses, resources and briefings only. Its forms offer no other partnership's, and a request naming another
partnership's course, resource or briefing by id, on the pages or through the API, is refused with a 400 naming the
field, and changes nothing. Warrington's business unit, on its own review, is held to Warrington's in the same way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from resources.services import publish_resource, write_briefing
from reviews.models import Recommendation, RecommendationChange
from reviews.services import add_recommendation, create_review
from tests.partnerships.test_isolation_programme import network  # noqa: F401 (the fixture)


@pytest.fixture
def links(network, halton, business_unit):  # noqa: F811
    """Each partnership's own course (the fixture's), resource and briefing, and a Warrington review."""
    n = network
    n.halton_bu = business_unit
    n.w_resource = publish_resource(title="Warrington's neglect toolkit", theme="Neglect", kind="document",
                                    url="https://warrington.example/toolkit", owner_agency=halton,
                                    partnership=n.warrington)
    n.w_briefing = write_briefing(title="Warrington's briefing", body="News.", by=n.bu, partnership=n.warrington)
    n.h_briefing = write_briefing(title="Halton's briefing", body="News.", by=business_unit)
    n.w_review = create_review(kind="cspr", title="Child W", date=timezone.localdate() - timedelta(days=30),
                               partnership=n.warrington)
    n.w_rec = add_recommendation(n.w_review, text="Warrington's own.", lead_agency=halton,
                                 due=timezone.localdate() + timedelta(days=90))
    return n


def state() -> list:
    recs = Recommendation.objects.order_by("pk")
    return [(r.pk, r.text, sorted(r.courses.values_list("pk", flat=True)),
             sorted(r.resources.values_list("pk", flat=True)), sorted(r.briefings.values_list("pk", flat=True)))
            for r in recs] + [RecommendationChange.objects.count()]


# (field, a function from the namespace to the other partnership's object's id, for Halton's review)
OTHERS = [
    ("courses", lambda n: n.w_course.pk),
    ("resources", lambda n: n.w_resource.pk),
    ("briefings", lambda n: n.w_briefing.pk),
]
# ... and Halton's objects named on Warrington's review by Warrington's business unit
HALTONS = [
    ("courses", lambda n: n.course.pk),
    ("resources", lambda n: n.resource.pk),
    ("briefings", lambda n: n.h_briefing.pk),
]


def _cases():
    for field, other in OTHERS:
        yield pytest.param("halton_bu", "rec", "review", field, other, id=f"halton names warrington's {field}")
    for field, other in HALTONS:
        yield pytest.param("bu", "w_rec", "w_review", field, other, id=f"warrington names halton's {field}")


@pytest.mark.parametrize(("who", "rec", "review", "field", "other"), list(_cases()))
def test_the_api_refuses_another_partnerships_learning_action(links, who, rec, review, field, other):
    api = APIClient()
    api.force_authenticate(getattr(links, who))
    before = state()
    made = api.post("/api/v1/recommendations/", {
        "review": getattr(links, review).pk, "text": "Slipped in", "lead_agency": "halton-bc",
        "due": (timezone.localdate() + timedelta(days=60)).isoformat(), field: [other(links)]}, format="json")
    assert made.status_code == 400, made.content
    assert list(made.json()["errors"]) == [field]
    assert "another partnership's" in made.json()["detail"]
    changed = api.patch(f"/api/v1/recommendations/{getattr(links, rec).pk}/", {field: [other(links)]},
                        format="json")
    assert changed.status_code == 400, changed.content
    assert list(changed.json()["errors"]) == [field]
    assert state() == before


@pytest.mark.parametrize(("who", "rec", "review", "field", "other"), list(_cases()))
def test_the_pages_refuse_another_partnerships_learning_action(client, links, who, rec, review, field, other):
    client.force_login(getattr(links, who))
    before = state()
    due = timezone.localdate() + timedelta(days=60)
    made = client.post(f"/learning/reviews/{getattr(links, review).pk}/recommendations/new/", {
        "text": "Slipped in", "lead_agency": links.rec.lead_agency_id, "due_day": due.day, "due_month": due.month,
        "due_year": due.year, field: [other(links)]})
    assert made.status_code == 400
    assert "is another partnership&#x27;s" in made.content.decode()
    the_rec = getattr(links, rec)
    changed = client.post(f"/learning/recommendations/{the_rec.pk}/change/", {
        "status": the_rec.status, "due_day": the_rec.due.day, "due_month": the_rec.due.month,
        "due_year": the_rec.due.year, "text": the_rec.text, "lead_agency": the_rec.lead_agency_id,
        field: [other(links)]})
    assert changed.status_code == 400
    assert "is another partnership&#x27;s" in changed.content.decode()
    assert state() == before


def test_the_forms_offer_only_the_reviews_partnerships_learning_actions(client, links):
    client.force_login(links.halton_bu)
    for address in (f"/learning/reviews/{links.review.pk}/recommendations/new/",
                    f"/learning/recommendations/{links.rec.pk}/change/"):
        page = client.get(address).content.decode()
        assert "Understanding Neglect and Local Procedures" in page and "Halton&#x27;s briefing" in page
        assert "Halton&#x27;s neglect toolkit" in page
        for theirs in ("Warrington&#x27;s own course", "Warrington&#x27;s neglect toolkit",
                       "Warrington&#x27;s briefing"):
            assert theirs not in page, (address, theirs)
    client.force_login(links.bu)
    page = client.get(f"/learning/recommendations/{links.w_rec.pk}/change/").content.decode()
    assert "Warrington&#x27;s own course" in page and "Warrington&#x27;s briefing" in page
    assert "Understanding Neglect and Local Procedures" not in page and "Halton&#x27;s briefing" not in page


def test_the_reviews_own_partnerships_learning_actions_are_taken(links, api_as):
    answer = api_as(links.bu).patch(f"/api/v1/recommendations/{links.w_rec.pk}/", {
        "courses": [links.w_course.pk], "resources": [links.w_resource.pk], "briefings": [links.w_briefing.pk]},
        format="json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["courses"], answer.json()["resources"], answer.json()["briefings"]) == (
        [links.w_course.pk], [links.w_resource.pk], [links.w_briefing.pk])


def test_the_themes_page_names_each_courses_partnership_on_a_network(client, links, business_unit):
    """Beth reads both partnerships' tracker: Halton's and Warrington's courses of the theme are told apart."""
    from people import roles
    from people.services import grant_role

    grant_role(business_unit, roles.BUSINESS_UNIT, partnership=links.warrington)
    for partnership, title in ((None, "Child R"), (links.warrington, "Child S")):
        create_review(kind="cspr", title=title, date=timezone.localdate() - timedelta(days=20), themes=["Neglect"],
                      partnership=partnership)
    client.force_login(business_unit)
    page = client.get("/learning/themes/").content.decode()
    assert "Understanding Neglect and Local Procedures (Halton Children and Young People Safeguarding " in page
    assert "Warrington&#x27;s own course (Warrington Safeguarding Partnership)" in page
