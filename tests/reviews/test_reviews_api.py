"""The learning tracker's API, as the design file's roles allow and no one else."""

from datetime import date

import pytest

from reviews import services
from reviews.models import Evidence, LearningReview, Recommendation, RecommendationChange


def test_business_unit_creates_a_review_with_themes(api_as, business_unit):
    response = api_as(business_unit).post("/api/v1/learning-reviews/", {
        "kind": "rapid_review", "title": "Child M", "reference": "RR-7", "date": "2025-05-02",
        "themes": ["Neglect", "Exploitation"], "summary": "Missed chances to share information."}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["themes"] == ["Exploitation", "Neglect"]
    assert (body["kind"], body["date"]) == ("rapid_review", "2025-05-02")


@pytest.mark.parametrize("who", ["practitioner", "trainer", "finance", "agency_manager"])
def test_only_the_business_unit_creates_reviews(api_as, request, who):
    response = api_as(request.getfixturevalue(who)).post(
        "/api/v1/learning-reviews/", {"kind": "cspr", "title": "X", "date": "2025-01-01"}, format="json")
    assert response.status_code == 403
    assert not LearningReview.objects.exists()


def test_an_unknown_kind_is_refused_with_a_detail(api_as, business_unit):
    response = api_as(business_unit).post("/api/v1/learning-reviews/",
                                          {"kind": "gossip", "title": "X", "date": "2025-01-01"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["detail"]


@pytest.mark.parametrize("who", ["practitioner", "trainer", "finance"])
def test_others_may_not_read_reviews_or_recommendations(api_as, request, who, rec):
    client = api_as(request.getfixturevalue(who))
    assert client.get("/api/v1/learning-reviews/").status_code == 403
    assert client.get("/api/v1/recommendations/").status_code == 403
    assert client.get(f"/api/v1/recommendations/{rec.pk}/reach/").status_code == 403


def test_business_unit_creates_a_recommendation_with_links(api_as, business_unit, review, halton, police, course):
    response = api_as(business_unit).post("/api/v1/recommendations/", {
        "review": review.pk, "text": "Police share DA notifications within a day.", "lead_agency": "cheshire-police",
        "owner_agencies": ["halton-bc"], "due": "2030-09-30", "courses": [course.pk]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1
    assert (body["lead_agency"], body["owner_agencies"]) == ("cheshire-police", ["halton-bc"])
    assert body["courses"] == [course.pk] and body["resources"] == [] and body["briefings"] == []
    assert (body["status"], body["due"], body["rag"]) == ("open", "2030-09-30", "green")


def test_agency_manager_may_not_create_or_change_recommendations(api_as, agency_manager, review, rec):
    client = api_as(agency_manager)
    response = client.post("/api/v1/recommendations/", {"review": review.pk, "text": "X", "lead_agency": "halton-bc",
                                                        "due": "2030-01-01"}, format="json")
    assert response.status_code == 403
    assert client.patch(f"/api/v1/recommendations/{rec.pk}/", {"due": "2031-01-01"}, format="json").status_code == 403
    assert Recommendation.objects.count() == 1 and Recommendation.objects.get().due == date(2030, 6, 30)


def test_closing_needs_a_reason_and_every_change_is_kept(api_as, business_unit, rec):
    client = api_as(business_unit)
    refused = client.patch(f"/api/v1/recommendations/{rec.pk}/", {"status": "closed"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["detail"]
    assert Recommendation.objects.get().status == "open"
    ok = client.patch(f"/api/v1/recommendations/{rec.pk}/",
                      {"status": "closed", "reason": "Superseded by the 2026 neglect strategy."}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "closed"
    assert Recommendation.objects.get().closed_reason == "Superseded by the 2026 neglect strategy."
    change = RecommendationChange.objects.get(field="status")
    assert (change.before, change.after, change.by) == ("Open", "Closed", business_unit)


def test_agency_manager_sees_only_their_agencys_recommendations(api_as, agency_manager, review, rec, police,
                                                              business_unit):
    services.add_recommendation(review, text="Police only.", lead_agency=police, due=date(2030, 1, 1))
    shared = services.add_recommendation(review, text="Police lead, Halton shares.", lead_agency=police,
                                         owner_agencies=[rec.lead_agency], due=date(2030, 2, 1))
    body = api_as(agency_manager).get("/api/v1/recommendations/").json()
    assert sorted(r["id"] for r in body) == sorted([rec.pk, shared.pk])


def test_agency_manager_of_an_owner_adds_evidence_others_cannot(api_as, agency_manager, police_manager, rec):
    ok = api_as(agency_manager).post(f"/api/v1/recommendations/{rec.pk}/evidence/",
                                     {"note": "Toolkit briefed at the MASH meeting.", "staff_reached": 14},
                                     format="json")
    assert ok.status_code == 201, ok.json()
    evidence = Evidence.objects.get()
    assert (evidence.agency.code, evidence.staff_reached, evidence.written_by) == ("halton-bc", 14, agency_manager)
    refused = api_as(police_manager).post(f"/api/v1/recommendations/{rec.pk}/evidence/", {"note": "Ours too"},
                                          format="json")
    assert refused.status_code == 404
    assert Evidence.objects.count() == 1


def test_evidence_needs_a_note(api_as, business_unit, rec):
    response = api_as(business_unit).post(f"/api/v1/recommendations/{rec.pk}/evidence/", {"note": " "},
                                          format="json")
    assert response.status_code == 400 and response.json()["detail"]
    assert not Evidence.objects.exists()


def test_reach_rows_for_the_business_unit_and_only_their_own_for_a_manager(api_as, business_unit, agency_manager,
                                                                          rec, police):
    services.change_recommendation(rec, owner_agencies=[police], by=business_unit)
    everyone = api_as(business_unit).get(f"/api/v1/recommendations/{rec.pk}/reach/").json()
    assert [row["agency"] for row in everyone] == ["halton-bc", "cheshire-police"]
    assert set(everyone[0]) == {"agency", "attended", "opened", "briefed", "headcount", "share"}
    mine = api_as(agency_manager).get(f"/api/v1/recommendations/{rec.pk}/reach/").json()
    assert [row["agency"] for row in mine] == ["halton-bc"]


@pytest.mark.parametrize("query", ["status=done", "overdue=perhaps", "review=abc", "kind=gossip"])
def test_bad_filters_are_a_400_naming_them(api_as, business_unit, query):
    response = api_as(business_unit).get(f"/api/v1/recommendations/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["detail"]


def test_the_served_schema_describes_the_tracker(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/v1/learning-reviews/", "/api/v1/recommendations/", "/api/v1/recommendations/{id}/",
                 "/api/v1/recommendations/{id}/evidence/", "/api/v1/recommendations/{id}/reach/"):
        assert path in schema["paths"], path
