"""The demo partnership's reviews: the tracker shows something true to life, and loading twice changes nothing."""

from datetime import date

from demo.data import load_demo
from lib.dates import london
from people.models import Person
from reviews import selectors
from reviews.models import LearningReview, Recommendation

NOW = london(2026, 11, 23, 10, 0)


def test_the_demo_tracker_has_every_flag_and_the_manager_sees_their_agencys(db):
    load_demo(now=NOW)
    load_demo(now=NOW)
    assert LearningReview.objects.count() == 6 and Recommendation.objects.count() == 9
    business = Person.objects.get(email="business@halton.gov.uk")
    rows = selectors.tracker(business, today=NOW.date())
    assert {row["rag"] for row in rows} == {"red", "amber", "green"}
    manager = Person.objects.get(email="manager@bridgewater.nhs.uk")
    mine = selectors.tracker(manager, today=NOW.date())
    assert mine and all(manager.agency_id in row["rec"].owner_ids() for row in mine)
    assert all([r["agency"] for r in row["reach"]] == ["bridgewater"] for row in mine)
    themes = selectors.recurring_themes(business, start=date(2024, 4, 1), end=date(2025, 3, 31))
    assert {"Neglect", "Domestic abuse", "Exploitation"} <= {t["theme"] for t in themes}


def test_the_demo_reviews_live_with_the_rest_of_the_demo_data_and_no_hub_app_holds_any():
    import importlib.util
    import pkgutil

    assert importlib.util.find_spec("demo.reviews") is not None
    hub = ("lib", "people", "notifications", "courses", "charging", "resources", "bookings", "certificates",
           "attendance", "reports", "privacy", "reviews", "health", "config")
    demo_modules = [f"{package}.{module.name}" for package in hub
                    for module in pkgutil.iter_modules(importlib.import_module(package).__path__)
                    if "demo" in module.name]
    assert demo_modules == []
