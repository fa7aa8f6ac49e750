"""The weekly email to owner agencies' managers, through the outbox, once per recommendation per week."""

from datetime import date, timedelta

from lib.dates import london
from notifications.models import Message
from reviews import services
from tests.conftest import sent

MONDAY = london(2030, 6, 3, 7, 0)


def test_managers_hear_of_overdue_and_due_soon_recommendations_once_a_week(review, rec, halton, police,
                                                                          agency_manager, business_unit):
    services.change_recommendation(rec, due=date(2030, 6, 20), by=business_unit)  # due in 17 days
    services.add_recommendation(review, text="Overdue one.", lead_agency=halton, due=date(2030, 5, 1))
    services.add_recommendation(review, text="Far off.", lead_agency=halton, due=date(2030, 12, 1))
    done = services.add_recommendation(review, text="Evidenced.", lead_agency=halton, due=date(2030, 5, 1))
    services.change_recommendation(done, status="evidenced", by=business_unit)
    assert services.send_owner_reminders(now=MONDAY) == 1
    assert services.send_owner_reminders(now=MONDAY + timedelta(days=3)) == 0  # same week: nothing again
    emails = sent()
    assert [e.to for e in emails] == [["dev@halton.gov.uk"]]
    body = emails[0].body
    assert "neglect toolkit" in body and "Overdue: it was due on 1 May 2030" in body
    assert "Far off" not in body and "Evidenced." not in body
    assert services.send_owner_reminders(now=MONDAY + timedelta(days=7)) == 1  # the next week, again


def test_a_recommendation_added_later_in_the_week_still_goes_once(review, rec, halton, agency_manager,
                                                                 business_unit):
    services.change_recommendation(rec, due=date(2030, 6, 10), by=business_unit)
    services.send_owner_reminders(now=MONDAY)
    services.add_recommendation(review, text="New and urgent.", lead_agency=halton, due=date(2030, 6, 12))
    assert services.send_owner_reminders(now=MONDAY + timedelta(days=1)) == 1
    latest = Message.objects.order_by("-pk").first()
    assert latest.context["recommendations"][0]["text"] == "New and urgent."
    assert len(latest.context["recommendations"]) == 1


def test_an_owner_agency_without_a_manager_gets_nothing(review, police, halton):
    services.add_recommendation(review, text="Police only.", lead_agency=police, due=date(2030, 6, 4))
    assert services.send_owner_reminders(now=MONDAY) == 0
    assert not Message.objects.exists()
