from datetime import date

import pytest

from lib.errors import Conflict, Invalid, NotAllowed
from resources import selectors, services
from resources.models import Opening
from tests.conftest import sent


@pytest.fixture
def sway(halton):
    return services.publish_resource(title="Strategy Meeting SWAY", theme="Strategy meetings", kind="sway",
                                     url="https://sway.cloud.microsoft/strategy-meetings", owner_agency=halton)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://x.example/a", "/relative",
                                 "not a url", "https://", ""])
def test_only_web_addresses_are_published(halton, url):
    with pytest.raises(Invalid, match="web address"):
        services.publish_resource(title="X", theme="T", kind="sway", url=url, owner_agency=halton)


def test_opening_is_recorded_for_the_person_and_agency_then_redirects_to_the_resource(client, sway, practitioner):
    client.force_login(practitioner)
    response = client.get(f"/resources/{sway.pk}/open/?next=https://evil.example/")
    assert response.status_code == 302
    assert response.url == "https://sway.cloud.microsoft/strategy-meetings"
    opening = Opening.objects.get()
    assert (opening.person, opening.agency.code) == (practitioner, "halton-bc")


def test_a_retired_resource_cannot_be_opened(client, sway, practitioner):
    services.retire_resource(sway)
    client.force_login(practitioner)
    response = client.get(f"/resources/{sway.pk}/open/")
    assert response.status_code == 410
    assert not Opening.objects.exists()


def test_opening_needs_sign_in(client, sway):
    response = client.get(f"/resources/{sway.pk}/open/")
    assert response.status_code == 302 and "login" in response.url


def test_worked_through_with_a_reflection(client, sway, practitioner):
    client.force_login(practitioner)
    client.post(f"/resources/{sway.pk}/", {"action": "worked_through", "reflection": "I will invite health."})
    record = sway.worked_through.get()
    assert record.reflection == "I will invite health."


def test_agency_manager_records_their_agencys_dissemination(client, sway, agency_manager):
    client.force_login(agency_manager)
    response = client.post(f"/resources/{sway.pk}/", {"action": "disseminate", "date": "2025-05-01",
                                                      "format": "team_meeting", "staff_briefed": 12, "note": "MASH"})
    assert response.status_code == 302
    assert sway.disseminations.get().agency.code == "halton-bc"


@pytest.mark.parametrize("staff", [0, -3, 100001])
def test_absurd_staff_counts_are_refused(sway, agency_manager, staff):
    with pytest.raises(Invalid, match="Staff briefed"):
        services.record_dissemination(sway, agency=agency_manager.agency, by=agency_manager,
                                      date_used=date(2025, 5, 1), staff_briefed=staff)


def test_dissemination_for_another_agency_is_refused(sway, agency_manager, police):
    with pytest.raises(NotAllowed):
        services.record_dissemination(sway, agency=police, by=agency_manager, date_used=date(2025, 5, 1),
                                      staff_briefed=5)


def test_reach_report_counts_and_shows_untouched_agencies(sway, practitioner, colleague, agency_manager, police):
    services.record_opening(sway, practitioner)
    services.record_opening(sway, practitioner)
    services.record_opening(sway, colleague)
    services.mark_worked_through(sway, colleague)
    services.record_dissemination(sway, agency=agency_manager.agency, by=agency_manager,
                                  date_used=date(2025, 5, 1), staff_briefed=12)
    rows = {r["agency"]: r for r in selectors.reach()}
    assert (rows["halton-bc"]["openings"], rows["halton-bc"]["people"], rows["halton-bc"]["worked_through"],
            rows["halton-bc"]["staff_briefed"]) == (3, 2, 1, 12)
    assert rows["cheshire-police"]["untouched"] is True


def test_reach_api_for_the_business_unit_and_agency_managers(api_as, sway, practitioner, business_unit,
                                                             agency_manager, police):
    services.record_opening(sway, practitioner)
    data = api_as(business_unit).get("/api/v1/reports/resources/").json()
    assert {r["agency"] for r in data} == {"halton-bc", "cheshire-police"}
    mine = api_as(agency_manager).get("/api/v1/reports/resources/").json()
    assert [r["agency"] for r in mine] == ["halton-bc"] and mine[0]["openings"] == 1
    assert api_as(practitioner).get("/api/v1/reports/resources/").status_code == 403
    assert api_as(business_unit).get("/api/v1/reports/resources/", {"from": "May"}).status_code == 400


def test_resource_api_publishes_for_the_business_unit_only(api_as, business_unit, practitioner, halton):
    body = {"title": "Section 47 SWAY", "theme": "Section 47", "kind": "sway",
            "url": "https://sway.cloud.microsoft/s47", "owner_agency": "halton-bc"}
    assert api_as(practitioner).post("/api/v1/resources/", body, format="json").status_code == 403
    response = api_as(business_unit).post("/api/v1/resources/", body, format="json")
    assert response.status_code == 201, response.json()
    bad = api_as(business_unit).post("/api/v1/resources/", body | {"url": "javascript:alert(1)"}, format="json")
    assert bad.status_code == 400 and "web address" in bad.json()["detail"]
    listed = api_as(practitioner).get("/api/v1/resources/").json()["results"]
    assert listed[0]["owner_agency"] == "halton-bc"


def test_dissemination_api_uses_the_callers_agency(api_as, sway, agency_manager, practitioner):
    body = {"date": "2025-05-01", "staff_briefed": 8, "note": "Team meeting"}
    assert api_as(practitioner).post(f"/api/v1/resources/{sway.pk}/disseminations/", body,
                                     format="json").status_code == 403
    response = api_as(agency_manager).post(f"/api/v1/resources/{sway.pk}/disseminations/", body, format="json")
    assert response.status_code == 201 and response.json()["agency"] == "halton-bc"
    bad = api_as(agency_manager).post(f"/api/v1/resources/{sway.pk}/disseminations/", body | {"staff_briefed": -1},
                                      format="json")
    assert bad.status_code == 400


def test_briefing_goes_to_those_opted_in_with_a_working_unsubscribe_link(client, business_unit, practitioner,
                                                                         colleague, sway, session):
    colleague.briefings_opt_in = False
    colleague.save()
    client.force_login(business_unit)
    response = client.post("/briefings/new/", {"title": "Partnership Briefing Issue No: 91",
                                               "body": "ERASE dates have been released.",
                                               "resources": [sway.pk], "sessions": []})
    assert response.status_code == 302
    emails = {m.to[0]: m for m in sent()}
    assert set(emails) == {"priya@halton.gov.uk", "beth@halton.gov.uk"}
    body = emails["priya@halton.gov.uk"].body
    assert "Strategy Meeting SWAY" in body and "ERASE dates" in body
    link = [w for w in body.split() if "/briefings/unsubscribe/" in w][0]
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    assert client.post(path).status_code == 200
    practitioner.refresh_from_db()
    assert practitioner.briefings_opt_in is False
    assert client.post("/briefings/unsubscribe/forged/").status_code == 400
    assert "Partnership Briefing Issue No: 91" in client.get("/briefings/").content.decode()


def test_a_briefing_is_sent_once(business_unit, practitioner):
    from resources.models import Briefing

    briefing = Briefing.objects.create(title="B", body="x", created_by=business_unit)
    services.send_briefing(briefing)
    with pytest.raises(Conflict):
        services.send_briefing(briefing)


def test_only_the_business_unit_composes_briefings(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/briefings/new/").status_code == 403


def test_writing_a_briefing_sends_it_and_keeps_what_it_links(business_unit, practitioner, soon_session):
    session = soon_session()
    briefing = services.write_briefing(title="Issue 92", body="News", sessions=[session], by=business_unit)
    assert briefing.sent_at is not None and briefing.recipients >= 1
    assert list(briefing.sessions.all()) == [session]
    with pytest.raises(Invalid, match="title"):
        services.write_briefing(title="  ", body="News", by=business_unit)
