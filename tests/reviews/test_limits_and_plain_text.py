"""The tracker's free text has stated limits (the form shows them, past them is a message, nothing is cut
short), its titles, references and themes are plain one-line text, its dates fall in a sensible range, and
its filters refuse what no filter could match rather than cutting it. The same on the pages, in the API,
in the admin and in the services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from courses.models import Course
from lib.errors import Invalid
from reviews import services
from reviews.models import (
    NOTE_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    Evidence,
    LearningReview,
    Recommendation,
    RecommendationChange,
)

REVIEW = {"kind": "cspr", "title": "Child N", "date": "2025-02-03"}
PAGE_REVIEW = {"kind": "cspr", "title": "Child N", "date_day": "3", "date_month": "2", "date_year": "2025"}


# --- Limits -----------------------------------------------------------------------------------------------

def test_the_review_forms_state_their_limits_and_refuse_what_is_past_them(client, business_unit, rec):
    client.force_login(business_unit)
    page = client.get("/learning/reviews/new/").content.decode()
    assert f'data-maxlength="{SUMMARY_MAX}"' in page and "You can enter up to 5,000 characters" in page
    response = client.post("/learning/reviews/new/", PAGE_REVIEW | {"summary": "s" * (SUMMARY_MAX + 1),
                                                                     "title": "t" * 201, "reference": "r" * 61})
    body = response.content.decode()
    assert "The summary must be 5,000 characters or fewer" in body
    assert "The title must be 200 characters or fewer" in body
    assert "The reference must be 60 characters or fewer" in body
    assert LearningReview.objects.count() == 1
    page = client.get(f"/learning/reviews/{rec.review_id}/recommendations/new/").content.decode()
    assert f'data-maxlength="{TEXT_MAX}"' in page
    response = client.post(f"/learning/reviews/{rec.review_id}/recommendations/new/", {
        "text": "x" * (TEXT_MAX + 1), "lead_agency": rec.lead_agency_id, "due_day": "1", "due_month": "1",
        "due_year": "2031"})
    assert "The recommendation must be 2,000 characters or fewer" in response.content.decode()
    page = client.get(f"/learning/recommendations/{rec.pk}/change/").content.decode()
    assert f'data-maxlength="{REASON_MAX}"' in page
    response = client.post(f"/learning/recommendations/{rec.pk}/change/", {
        "status": "closed", "reason": "r" * (REASON_MAX + 1), "text": rec.text, "lead_agency": rec.lead_agency_id,
        "due_day": "30", "due_month": "6", "due_year": "2030"})
    assert "The reason must be 1,000 characters or fewer" in response.content.decode()
    page = client.get(f"/learning/recommendations/{rec.pk}/").content.decode()
    assert f'data-maxlength="{NOTE_MAX}"' in page
    response = client.post(f"/learning/recommendations/{rec.pk}/", {"note": "n" * (NOTE_MAX + 1)})
    assert "The evidence must be 5,000 characters or fewer" in response.content.decode()
    rec.refresh_from_db()
    assert Recommendation.objects.count() == 1 and rec.status == "open" and not Evidence.objects.exists()


def test_the_api_refuses_text_past_its_limit_with_the_same_words(api_as, business_unit, rec):
    api = api_as(business_unit)
    for body, words in ((REVIEW | {"summary": "s" * 1_000_000}, "The summary must be 5,000 characters or fewer"),
                        (REVIEW | {"title": "t" * 201}, "The title must be 200 characters or fewer"),
                        (REVIEW | {"reference": "r" * 61}, "The reference must be 60 characters or fewer"),
                        (REVIEW | {"themes": ["a" * 81]}, "A theme must be 80 characters or fewer"),
                        (REVIEW | {"themes": [f"t{n}" for n in range(21)]}, "at most 20 themes")):
        response = api.post("/api/v1/learning-reviews/", body, format="json")
        assert response.status_code == 400 and words in response.json()["detail"], response.json()
    response = api.post("/api/v1/recommendations/", {"review": rec.review_id, "text": "x" * (TEXT_MAX + 1),
                                                     "lead_agency": "halton-bc", "due": "2030-01-01"}, format="json")
    assert response.status_code == 400 and "2,000 characters or fewer" in response.json()["detail"]
    response = api.patch(f"/api/v1/recommendations/{rec.pk}/", {"status": "closed", "reason": "r" * 5000},
                         format="json")
    assert response.status_code == 400 and "The reason must be 1,000" in response.json()["detail"]
    response = api.post(f"/api/v1/recommendations/{rec.pk}/evidence/", {"note": "n" * 2_000_000}, format="json")
    assert response.status_code in (400, 413)
    rec.refresh_from_db()
    assert (LearningReview.objects.count(), Recommendation.objects.count(), rec.status) == (1, 1, "open")
    assert not Evidence.objects.exists()


def test_the_services_refuse_text_past_its_limit_whoever_calls_them(business_unit, rec, review):
    with pytest.raises(Invalid, match="The summary must be 5,000 characters or fewer"):
        services.create_review(kind="cspr", title="X", date=date(2025, 1, 1), summary="s" * (SUMMARY_MAX + 1))
    with pytest.raises(Invalid, match="The reference must be 60 characters or fewer"):
        services.change_review(review, kind="cspr", title="X", date=date(2025, 1, 1), reference="r" * 61)
    with pytest.raises(Invalid, match="The title must be 200 characters or fewer"):
        services.create_review(kind="cspr", title="t" * 201, date=date(2025, 1, 1))
    with pytest.raises(Invalid, match="The recommendation must be 2,000"):
        services.add_recommendation(review, text="x" * (TEXT_MAX + 1), lead_agency=rec.lead_agency,
                                    due=date(2030, 1, 1))
    with pytest.raises(Invalid, match="The recommendation must be 2,000"):
        services.change_recommendation(rec, text="x" * (TEXT_MAX + 1))
    with pytest.raises(Invalid, match="The reason must be 1,000"):
        services.change_recommendation(rec, status="closed", reason="r" * (REASON_MAX + 1))
    with pytest.raises(Invalid, match="The evidence must be 5,000"):
        services.add_evidence(rec, note="n" * (NOTE_MAX + 1), by=business_unit)
    review.refresh_from_db()
    rec.refresh_from_db()
    assert (review.reference, rec.status, LearningReview.objects.count()) == ("RR-2025-03", "open", 1)
    kept = services.add_recommendation(review, text="y" * TEXT_MAX, lead_agency=rec.lead_agency, due=date(2030, 1, 1))
    assert len(kept.text) == TEXT_MAX  # the limit itself is kept whole, in the history too
    assert len(RecommendationChange.objects.get(recommendation=kept, field="created").after) == TEXT_MAX


def test_the_admin_refuses_a_title_with_control_characters_or_past_its_limit(client, business_unit):
    client.force_login(business_unit)
    form = {"kind": "cspr", "date": "2025-01-01", "themes-TOTAL_FORMS": "1", "themes-INITIAL_FORMS": "0",
            "partnership": ""}
    for title, words in (("Child\x0bO", "must not contain control characters"),
                         ("t" * 201, "at most 200 characters")):
        response = client.post("/manage/reviews/learningreview/add/", form | {"title": title, "summary": ""})
        assert response.status_code == 200 and words in response.content.decode()
    assert not LearningReview.objects.exists()


# --- Plain titles -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["Child\nO", "Child\x1bO", "Child\u202eO", "Child\u200bO", "Child\tO"])
def test_review_titles_references_and_themes_are_plain_one_line_text(client, api_as, business_unit, review, title):
    for fields in ({"title": title}, {"title": "X", "reference": title}, {"title": "X", "themes": [title]}):
        with pytest.raises(Invalid, match="must not contain"):
            services.create_review(kind="cspr", date=date(2025, 1, 1), **fields)
        with pytest.raises(Invalid, match="must not contain"):
            services.change_review(review, kind="cspr", date=date(2025, 1, 1), **fields)
        response = api_as(business_unit).post("/api/v1/learning-reviews/", REVIEW | fields, format="json")
        assert response.status_code == 400 and "must not contain" in response.json()["detail"]
    client.force_login(business_unit)
    response = client.post("/learning/reviews/new/", PAGE_REVIEW | {"title": title})
    assert "The title must not contain" in response.content.decode()
    review.refresh_from_db()
    assert review.title == "Child L rapid review" and LearningReview.objects.count() == 1


@pytest.mark.parametrize("title", ["Neglect\nin practice", "Neglect\x00", "Neglect\u202e", "Neglect\u2066"])
def test_course_resource_and_briefing_titles_are_plain_one_line_text(api_as, business_unit, halton, title):
    from courses.services import create_course
    from resources.services import publish_resource, write_briefing

    with pytest.raises(Invalid, match="The title must not contain"):
        create_course(title=title, level="basic", theme="Neglect", duration_minutes=60)
    response = api_as(business_unit).post("/api/v1/courses/", {"title": title, "level": "basic", "theme": "Neglect",
                                                               "duration_minutes": 60}, format="json")
    assert response.status_code == 400
    with pytest.raises(Invalid, match="The title must not contain"):
        publish_resource(title=title, theme="Neglect", kind="sway", url="https://sway.cloud.microsoft/x",
                         owner_agency=halton)
    with pytest.raises(Invalid, match="The title must not contain"):
        write_briefing(title=title, body="Words", by=business_unit)
    assert not Course.objects.exists()


# --- Dates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "words"), [
    ("0001-01-01", "on or after 1 January 1990"), ("1989-12-31", "on or after 1 January 1990"),
    ("9999-12-31", "not be more than a year ahead")])
def test_a_review_dated_absurdly_early_or_far_ahead_is_refused(client, api_as, business_unit, review, day, words):
    response = api_as(business_unit).post("/api/v1/learning-reviews/", REVIEW | {"date": day}, format="json")
    assert response.status_code == 400 and words in response.json()["detail"]
    with pytest.raises(Invalid, match=words):
        services.change_review(review, kind="cspr", title="X", date=date.fromisoformat(day))
    year, month, d = day.split("-")
    client.force_login(business_unit)
    response = client.post(f"/learning/reviews/{review.pk}/change/",
                           PAGE_REVIEW | {"date_day": d, "date_month": month, "date_year": year})
    assert words in response.content.decode()
    review.refresh_from_db()
    assert review.date == date(2025, 3, 1) and LearningReview.objects.count() == 1


def test_a_due_date_far_outside_the_tracker_is_refused(api_as, business_unit, rec):
    far = timezone.localdate().year + 11
    for due, words in (("0001-01-01", "on or after 1 January 1990"), (f"{far}-01-01", "within 10 years")):
        response = api_as(business_unit).patch(f"/api/v1/recommendations/{rec.pk}/", {"due": due}, format="json")
        assert response.status_code == 400 and words in response.json()["detail"]
    with pytest.raises(Invalid, match="within 10 years"):
        services.add_recommendation(rec.review, text="X", lead_agency=rec.lead_agency, due=date(9999, 1, 1))
    services.change_recommendation(rec, due=timezone.localdate() + timedelta(days=365 * 9))  # within: kept
    assert Recommendation.objects.count() == 1


# --- Filters ----------------------------------------------------------------------------------------------

def test_the_trackers_filters_refuse_text_longer_than_any_theme_or_agency_code_rather_than_cut_it(api_as,
                                                                                                   business_unit,
                                                                                                   rec):
    api = api_as(business_unit)
    response = api.get("/api/v1/recommendations/", {"theme": "Neglect" + "x" * 100})
    assert response.status_code == 400
    assert "theme must be 80 characters or fewer (it has 107)" in response.json()["detail"]
    response = api.get("/api/v1/recommendations/", {"agency": "halton-bc" + "x" * 40})
    assert response.status_code == 400 and "40 characters or fewer" in response.json()["detail"]
    assert api.get("/api/v1/recommendations/", {"theme": "neglect"}).json()[0]["id"] == rec.pk
