"""A course or resource page says which review's learning it answers: title and kind only."""

from resources.services import publish_resource
from reviews import services


def test_a_course_page_names_the_review_it_answers_to_anyone(client, rec, course, business_unit):
    services.change_recommendation(rec, courses=[course], by=business_unit)
    page = client.get(f"/courses/{course.pk}/").content.decode()
    assert "Child L rapid review (rapid review)" in page
    assert "neglect toolkit" not in page and "RR-2025-03" not in page  # title and kind only


def test_a_resource_page_names_the_review_it_answers(client, rec, halton, practitioner, business_unit):
    sway = publish_resource(title="Neglect SWAY", theme="Neglect", kind="sway",
                            url="https://sway.cloud.microsoft/neglect", owner_agency=halton)
    client.force_login(practitioner)
    assert "Learning from reviews" not in client.get(f"/resources/{sway.pk}/").content.decode()
    services.change_recommendation(rec, resources=[sway], by=business_unit)
    assert "Child L rapid review (rapid review)" in client.get(f"/resources/{sway.pk}/").content.decode()
