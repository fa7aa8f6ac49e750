"""The tracker's pages: the business unit's, agency managers' (their agency only), downloads and themes."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from reviews import services
from reviews.models import Evidence, LearningReview, Recommendation


@pytest.mark.parametrize("who", ["practitioner", "trainer", "finance"])
def test_others_are_refused_every_tracker_page(client, request, who, rec):
    client.force_login(request.getfixturevalue(who))
    for url in ("/learning/", "/learning/themes/", "/learning/reviews/new/", f"/learning/reviews/{rec.review_id}/",
                f"/learning/recommendations/{rec.pk}/", f"/learning/recommendations/{rec.pk}/change/"):
        assert client.get(url).status_code == 403, url


def test_business_unit_records_a_review_and_a_recommendation_through_the_pages(client, business_unit, halton,
                                                                              course):
    client.force_login(business_unit)
    response = client.post("/learning/reviews/new/", {
        "kind": "rapid_review", "title": "Child P", "date_day": "4", "date_month": "11", "date_year": "2025",
        "themes": "Neglect, Exploitation"})
    review = LearningReview.objects.get()
    assert response.status_code == 302 and response.url == f"/learning/reviews/{review.pk}/"
    assert review.theme_list == ["Exploitation", "Neglect"]
    response = client.post(f"/learning/reviews/{review.pk}/recommendations/new/", {
        "text": "Every strategy meeting invites health.", "lead_agency": halton.pk, "due_day": "31", "due_month": "3",
        "due_year": "2031", "courses": [course.pk]})
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert list(rec.courses.all()) == [course] and rec.due == date(2031, 3, 31)
    page = client.get("/learning/").content.decode()
    assert "Child P, 1" in page


def test_a_missing_date_is_a_form_error_and_saves_nothing(client, business_unit):
    client.force_login(business_unit)
    response = client.post("/learning/reviews/new/", {"kind": "cspr", "title": "Child Q"})
    assert response.status_code == 200 and "Enter the date of the review" in response.content.decode()
    assert not LearningReview.objects.exists()


def test_closing_without_a_reason_on_the_page_is_a_form_error(client, business_unit, rec):
    client.force_login(business_unit)
    response = client.post(f"/learning/recommendations/{rec.pk}/change/", {
        "status": "closed", "due_day": "30", "due_month": "6", "due_year": "2030", "text": rec.text,
        "lead_agency": rec.lead_agency_id})
    assert response.status_code == 200 and "reason for closing" in response.content.decode()
    assert Recommendation.objects.get().status == "open"


def test_agency_manager_sees_only_their_agencys_recommendations_and_adds_evidence(client, agency_manager, review,
                                                                                   rec, police):
    hidden = services.add_recommendation(review, text="Police custody record checks.", lead_agency=police,
                                         due=date(2030, 1, 1))
    client.force_login(agency_manager)
    page = client.get("/learning/").content.decode()
    assert "Child L rapid review, 1" in page and "Child L rapid review, 2" not in page
    assert client.get(f"/learning/recommendations/{hidden.pk}/").status_code == 404
    assert client.post(f"/learning/recommendations/{hidden.pk}/", {"note": "x"}).status_code == 404
    response = client.post(f"/learning/recommendations/{rec.pk}/", {"note": "Toolkit in supervision.",
                                                                      "staff_reached": "9"})
    assert response.status_code == 302
    assert Evidence.objects.get().agency.code == "halton-bc"


def test_agency_manager_sees_only_their_own_agencys_reach_row(client, agency_manager, rec, police, business_unit):
    services.change_recommendation(rec, owner_agencies=[police], by=business_unit)
    client.force_login(agency_manager)
    page = client.get(f"/learning/recommendations/{rec.pk}/").content.decode()
    assert "Halton Borough Council (lead)" in page and "Cheshire Constabulary (owner)" not in page


def test_tracker_downloads_as_csv_and_xlsx_with_the_filters(client, business_unit, review, rec, police):
    services.add_recommendation(review, text="=HYPERLINK(evil)", lead_agency=police, due=date(2024, 1, 1))
    client.force_login(business_unit)
    csv = client.get("/learning/?export=csv").content.decode()
    assert "Practitioners use the neglect toolkit." in csv and "'=HYPERLINK(evil)" in csv
    overdue = client.get("/learning/?overdue=on&export=csv").content.decode()
    assert "neglect toolkit" not in overdue and "Red" in overdue
    book = load_workbook(io.BytesIO(client.get("/learning/?export=xlsx").content))
    rows = list(book.active.values)
    assert rows[0][:3] == ("Review", "Kind", "Number") and len(rows) == 3


def test_the_themes_page_names_themes_in_more_than_one_review_with_the_courses_that_answer(client, business_unit,
                                                                                          review, rec, course):
    services.create_review(kind="cspr", title="Child R", date=date(2025, 6, 1), themes=["Neglect"])
    services.create_review(kind="cspr", title="Child S", date=date(2025, 7, 1), themes=["Exploitation"])
    services.change_recommendation(rec, courses=[course])
    client.force_login(business_unit)
    page = client.get("/learning/themes/?from=2024-01-01&to=2025-12-31").content.decode()
    assert "Neglect: 2 reviews" in page and "Understanding Neglect and Local Procedures" in page
    assert "Exploitation:" not in page


def test_business_unit_changes_status_due_and_links_on_the_page_and_the_history_shows_it(client, business_unit,
                                                                                         rec, course, police):
    client.force_login(business_unit)
    response = client.post(f"/learning/recommendations/{rec.pk}/change/", {
        "status": "in_progress", "due_day": "1", "due_month": "9", "due_year": "2030", "text": rec.text,
        "lead_agency": rec.lead_agency_id, "owner_agencies": [police.pk], "courses": [course.pk]})
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert (rec.status, rec.due, list(rec.courses.all())) == ("in_progress", date(2030, 9, 1), [course])
    page = client.get(f"/learning/recommendations/{rec.pk}/").content.decode()
    assert "Status from Open to In progress" in page and "Due from 30 June 2030 to 1 September 2030" in page
    assert "Courses" in page and "Cheshire Constabulary" in page


def test_business_unit_corrects_a_reviews_details_and_themes(client, business_unit, review, agency_manager):
    client.force_login(agency_manager)
    assert client.get(f"/learning/reviews/{review.pk}/change/").status_code == 403
    client.force_login(business_unit)
    assert "Child L rapid review" in client.get(f"/learning/reviews/{review.pk}/change/").content.decode()
    response = client.post(f"/learning/reviews/{review.pk}/change/", {
        "kind": "local_reflective_review", "title": "Child L", "date_day": "2", "date_month": "3",
        "date_year": "2025", "themes": "Exploitation"})
    assert response.status_code == 302
    review = LearningReview.objects.get()
    assert (review.kind, review.title, review.date, review.theme_list) == (
        "local_reflective_review", "Child L", date(2025, 3, 2), ["Exploitation"])
