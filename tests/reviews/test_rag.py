"""The RAG flag on its boundaries, with the amber reach threshold the business unit sets."""

from datetime import date, timedelta

import pytest

from resources.models import Dissemination
from resources.services import publish_resource
from reviews import selectors, services
from reviews.models import AgencyHeadcount, TrackerSettings

TODAY = date(2026, 1, 15)


def flag(status="open", days=60, share=None, percent=50):
    return selectors.rag(status=status, due=TODAY + timedelta(days=days), today=TODAY, lowest_share=share,
                         amber_percent=percent)


@pytest.mark.parametrize(("status", "days", "expected"), [
    ("open", -1, "red"),             # overdue by a day
    ("in_progress", -1, "red"),
    ("open", 0, "amber"),            # due today is not overdue yet
    ("open", 30, "amber"),           # due in exactly 30 days
    ("open", 31, "green"),
    ("evidenced", -1, "green"),      # overdue but evidenced
    ("evidenced", 10, "green"),
    ("closed", -100, "green"),
])
def test_due_date_and_status_boundaries(status, days, expected):
    assert flag(status=status, days=days) == expected


@pytest.mark.parametrize(("share", "percent", "expected"), [
    (0.49, 50, "amber"), (0.5, 50, "green"), (0.51, 50, "green"), (None, 50, "green"),
    (0.0, 0, "green"), (0.99, 100, "amber"), (1.0, 100, "green"),
])
def test_reach_below_the_business_units_share_is_amber(share, percent, expected):
    assert flag(share=share, percent=percent) == expected


def test_evidenced_but_under_reached_is_amber_closed_is_not():
    assert flag(status="evidenced", share=0.1) == "amber"
    assert flag(status="closed", share=0.1) == "green"


def test_the_business_unit_moves_the_amber_threshold(rec, halton, business_unit):
    sway = publish_resource(title="Neglect SWAY", theme="Neglect", kind="sway",
                            url="https://sway.cloud.microsoft/neglect", owner_agency=halton)
    services.change_recommendation(rec, resources=[sway], by=business_unit)
    AgencyHeadcount.objects.create(agency=halton, headcount=100)
    Dissemination.objects.create(resource=sway, agency=halton, date=date(2025, 4, 1), staff_briefed=40)
    assert selectors.tracker(business_unit, today=TODAY)[0]["rag"] == "amber"   # 40% < 50%
    TrackerSettings.objects.update(amber_reach_percent=40)
    assert selectors.tracker(business_unit, today=TODAY)[0]["rag"] == "green"   # 40% >= 40%


def test_an_agency_managers_flag_weighs_every_owner_not_only_theirs(rec, halton, police, agency_manager,
                                                                    business_unit):
    services.change_recommendation(rec, owner_agencies=[police], by=business_unit)
    AgencyHeadcount.objects.create(agency=police, headcount=10)
    services.add_evidence(rec, note="Briefed all", staff_reached=10, agency=halton, by=business_unit)
    row = selectors.tracker(agency_manager, today=TODAY)[0]
    assert [r["agency"] for r in row["reach"]] == ["halton-bc"]
    assert row["rag"] == "amber"  # the police have reached none of their ten


def test_closing_needs_a_reason_and_a_closed_recommendation_takes_no_evidence(rec, business_unit):
    from lib.errors import Conflict, Invalid

    with pytest.raises(Invalid, match="reason"):
        services.change_recommendation(rec, status="closed", by=business_unit)
    services.change_recommendation(rec, status="closed", reason="Merged into recommendation 2", by=business_unit)
    with pytest.raises(Conflict):
        services.add_evidence(rec, note="Late", by=business_unit)
    with pytest.raises(Invalid, match="reopening"):
        services.change_recommendation(rec, status="open", by=business_unit)
