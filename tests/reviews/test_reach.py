"""Reach per recommendation and agency, counted in SQL on hand-built data, and practice change quotes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking
from certificates.models import Evaluation
from lib.dates import london
from resources.models import Dissemination, Opening
from resources.services import publish_resource
from reviews import selectors, services
from reviews.models import AgencyHeadcount


@pytest.fixture
def sway(halton):
    return publish_resource(title="Neglect SWAY", theme="Neglect", kind="sway",
                            url="https://sway.cloud.microsoft/neglect", owner_agency=halton)


@pytest.fixture
def held(make_session, course):
    """A session of the course held on a given day (London), its booking window long past."""
    def make(day: date, course_=None):
        start = london(day.year, day.month, day.day, 9, 30)
        return make_session(course_=course_ or course, starts_at=start, now=start - timedelta(days=40))
    return make


def attended(session, person, status="attended"):
    return Booking.objects.create(session=session, person=person, status=status)


def reach_of(rec, **kwargs):
    rec = selectors.with_details(type(rec).objects.filter(pk=rec.pk)).get()
    return {row["agency"]: row for row in selectors.reach([rec], **kwargs)[rec.pk]}


def test_someone_who_attended_before_the_review_does_not_count(rec, course, held, practitioner, colleague, outsider):
    services.change_recommendation(rec, courses=[course])
    attended(held(date(2025, 2, 28)), practitioner)           # the day before the review
    attended(held(date(2025, 3, 1)), colleague)                # the review's own day counts
    attended(held(date(2025, 4, 2)), outsider, status="partial")
    attended(held(date(2025, 4, 3)), practitioner, status="no_show")
    rows = reach_of(rec)
    assert rows["halton-bc"]["attended"] == 1
    assert rows["cheshire-police"]["attended"] == 1


def test_one_person_counts_once_per_agency_however_reached(rec, course, make_course, held, sway, practitioner):
    other = make_course("Graded Care Profile 2")
    services.change_recommendation(rec, courses=[course, other], resources=[sway])
    attended(held(date(2025, 4, 1)), practitioner)
    attended(held(date(2025, 5, 1), course_=other), practitioner)
    Opening.objects.create(resource=sway, person=practitioner, agency=practitioner.agency,
                           opened_at=london(2025, 4, 5, 10))
    Opening.objects.create(resource=sway, person=practitioner, agency=practitioner.agency,
                           opened_at=london(2025, 6, 5, 10))
    row = reach_of(rec)["halton-bc"]
    assert (row["attended"], row["opened"], row["people"], row["reached"]) == (1, 1, 1, 1)


def test_openings_and_disseminations_before_the_review_do_not_count(rec, sway, practitioner, colleague, halton):
    services.change_recommendation(rec, resources=[sway])
    Opening.objects.create(resource=sway, person=practitioner, agency=halton, opened_at=london(2025, 2, 20, 10))
    Opening.objects.create(resource=sway, person=colleague, agency=halton, opened_at=london(2025, 3, 2, 10))
    Dissemination.objects.create(resource=sway, agency=halton, date=date(2025, 2, 1), staff_briefed=40)
    Dissemination.objects.create(resource=sway, agency=halton, date=date(2025, 3, 10), staff_briefed=12)
    Dissemination.objects.create(resource=sway, agency=halton, date=date(2025, 3, 20), staff_briefed=8)
    row = reach_of(rec)["halton-bc"]
    assert (row["opened"], row["briefed"], row["reached"]) == (1, 20, 21)


def test_each_recommendation_counts_from_its_own_reviews_date(rec, course, held, practitioner, halton, business_unit):
    later = services.create_review(kind="cspr", title="Child N", date=date(2025, 9, 1))
    second = services.add_recommendation(later, text="Same course, later review.", lead_agency=halton,
                                         due=date(2030, 1, 1), courses=[course])
    services.change_recommendation(rec, courses=[course])
    attended(held(date(2025, 6, 1)), practitioner)  # after the first review, before the second
    assert reach_of(rec)["halton-bc"]["attended"] == 1
    assert reach_of(second)["halton-bc"]["attended"] == 0


def test_owner_agencies_with_nothing_show_as_zero_rows_and_share_uses_the_headcount(rec, police, sway, practitioner,
                                                                                   halton, business_unit):
    services.change_recommendation(rec, owner_agencies=[police], resources=[sway], by=business_unit)
    AgencyHeadcount.objects.create(agency=halton, headcount=4)
    Opening.objects.create(resource=sway, person=practitioner, agency=halton, opened_at=london(2025, 4, 5, 10))
    services.add_evidence(rec, note="Team brief", staff_reached=1, by=business_unit, agency=halton)
    rows = reach_of(rec)
    assert rows["halton-bc"]["share"] == 0.5 and rows["halton-bc"]["briefed"] == 1
    assert rows["cheshire-police"]["reached"] == 0 and rows["cheshire-police"]["share"] is None
    Dissemination.objects.create(resource=sway, agency=halton, date=date(2025, 5, 1), staff_briefed=30)
    assert reach_of(rec)["halton-bc"]["share"] == 1.0  # never above the whole agency


def test_a_manager_gets_only_their_agencys_row(rec, police, business_unit):
    services.change_recommendation(rec, owner_agencies=[police], by=business_unit)
    assert list(reach_of(rec, agency_id=police.pk)) == ["cheshire-police"]


def _build(n, review, halton, police, course, sway, held, people):
    for i in range(n):
        rec = services.add_recommendation(review, text=f"Recommendation {i}", lead_agency=halton,
                                          owner_agencies=[police], due=date(2030, 1, 1) + timedelta(days=i),
                                          courses=[course], resources=[sway])
        Dissemination.objects.create(resource=sway, agency=police, date=date(2025, 4, 1), staff_briefed=i + 1)
        del rec
    session = held(date(2025, 4, 1) + timedelta(days=n))
    for person in people:
        attended(session, person)
        Opening.objects.create(resource=sway, person=person, agency=person.agency, opened_at=london(2025, 5, 1, 9))


def test_the_tracker_takes_the_same_queries_however_many_recommendations(business_unit, review, halton, police,
                                                                          course, sway, held, practitioner, colleague,
                                                                          outsider):
    _build(2, review, halton, police, course, sway, held, [practitioner])
    selectors.tracker(business_unit, today=date(2026, 1, 1))  # roles read and settings made, once
    with CaptureQueriesContext(connection) as few:
        small = selectors.tracker(business_unit, today=date(2026, 1, 1))
    _build(8, review, halton, police, course, sway, held, [colleague, outsider])
    with CaptureQueriesContext(connection) as many:
        large = selectors.tracker(business_unit, today=date(2026, 1, 1))
    assert (len(small), len(large)) == (2, 10)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert large[-1]["reach"][0]["attended"] == 2  # practitioner and colleague, both Halton


def _evaluated(booking, *, impact, follow_up=""):
    return Evaluation.objects.create(booking=booking, confidence_before=2, confidence_after=4, learning="Much",
                                     impact_statement=impact, follow_up_answer=follow_up)


def test_practice_change_quotes_come_after_the_review_with_names_only_for_the_business_unit(
        rec, course, held, practitioner, outsider, business_unit, agency_manager):
    services.change_recommendation(rec, courses=[course])
    _evaluated(attended(held(date(2025, 2, 1)), practitioner), impact="Before the review")
    _evaluated(attended(held(date(2025, 4, 1)), practitioner), impact="I use the toolkit at every visit",
               follow_up="Two referrals came earlier")
    _evaluated(attended(held(date(2025, 4, 2)), outsider), impact="Police view")
    quotes = selectors.practice_change(rec, person=business_unit)
    assert {q["text"] for q in quotes} == {"I use the toolkit at every visit", "Two referrals came earlier",
                                           "Police view"}
    assert {q["name"] for q in quotes} == {"Priya Shah", "Olly Outsider"}
    mine = selectors.practice_change(rec, person=agency_manager)
    assert {q["text"] for q in mine} == {"I use the toolkit at every visit", "Two referrals came earlier"}
    assert {q["name"] for q in mine} == {""} and {q["agency"] for q in mine} == {"Halton Borough Council"}


def test_the_tracker_counts_owners_reach_and_the_recommendation_every_agencys(rec, course, held, outsider,
                                                                            practitioner, business_unit):
    services.change_recommendation(rec, courses=[course], by=business_unit)
    attended(held(date(2025, 4, 1)), outsider)       # Cheshire Police: not an owner
    attended(held(date(2025, 4, 2)), practitioner)   # Halton: the lead
    row = selectors.tracker(business_unit, today=date(2026, 1, 1))[0]
    assert [(r["agency"], r["attended"]) for r in row["reach"]] == [("halton-bc", 1)]
    assert set(reach_of(rec)) == {"halton-bc", "cheshire-police"}
