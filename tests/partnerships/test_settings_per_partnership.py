"""Evaluation settings and learning-tracker settings belong to a partnership, as booking settings and the charging
policy do: a session is evaluated under its delivering partnership's (its course's) evaluation settings, a
recommendation flagged by its review's partnership's tracker settings, and each partnership's business unit sees and
changes only its own in the admin. (An agency's headcount stays the agency's own: it is a fact about the agency,
whichever partnership's review counts on it.)"""

from datetime import date, timedelta

import pytest

from attendance.services import close_register, mark
from bookings.models import Booking
from certificates.models import Certificate, Evaluation, EvaluationSettings
from certificates.services import (
    evaluate_by,
    evaluating_statuses,
    evaluation_settings,
    remind_refreshers,
    send_follow_ups,
    submit_evaluation,
)
from courses import services as course_services
from lib.dates import london
from people import roles
from people.models import Agency, Partnership
from people.partnerships import default_partnership
from people.services import grant_role, set_roles
from resources.models import Dissemination
from resources.services import publish_resource
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews.models import AgencyHeadcount, TrackerSettings
from tests.conftest import confirmed, sent

CLOSED = london(2030, 3, 14, 17, 0)
GOOD = {"confidence_before": 2, "confidence_after": 4, "learning": "The ERASE tool.",
        "impact_statement": "I will use ERASE in my assessments."}


@pytest.fixture
def two(db, halton, make_person):
    """Halton (the first partnership, its settings as they come) and Warrington, whose business unit asks for no
    partial attenders' evaluations, 7 days to evaluate, a follow-up after one month, refresher notices 120 days
    ahead and amber below 30% reach."""
    halton_p = default_partnership()
    warrington = Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    wbc = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council", kind="statutory_partner")
    wbc.partnerships.add(warrington)
    bu = make_person("wendy@warrington.gov.uk", wbc, name="Wendy Ward")
    set_roles(bu, [roles.PRACTITIONER, roles.BUSINESS_UNIT], partnership=warrington)
    EvaluationSettings.objects.filter(pk=evaluation_settings(warrington).pk).update(
        partial_may_evaluate=False, evaluate_within_days=7, follow_up_months=1, refresher_notice_days=120)
    TrackerSettings.objects.filter(pk=review_services.tracker_settings(warrington).pk).update(amber_reach_percent=30)
    evaluation_settings(halton_p), review_services.tracker_settings(halton_p)  # Halton's, as they come
    return halton_p, warrington, bu


def _evaluated_sessions(two, make_session, trainer, practitioner, colleague):
    """A Halton session and a Warrington one, each with one attender and one partial attender, registers closed."""
    halton_p, warrington, _ = two
    h_course = course_services.create_course(title="Halton's course", level="basic", theme="Neglect",
                                             duration_minutes=180, summary="x", refresh_months=36)
    w_course = course_services.create_course(title="Warrington's course", level="basic", theme="Neglect",
                                             duration_minutes=180, summary="x", partnership=warrington,
                                             refresh_months=36)
    trainer.agency.partnerships.add(halton_p, warrington)
    made = []
    for course, day in ((h_course, 14), (w_course, 15)):
        course_services.add_to_pool(course, trainer)
        session = make_session(course_=course, starts_at=london(2030, 3, day, 9, 30), trainers=[trainer])
        full, part = confirmed(session, practitioner, colleague)
        mark(session, [(full.pk, "attended"), (part.pk, "partial")], by=trainer, now=london(2030, 3, day, 17, 0))
        close_register(session, by=trainer, now=london(2030, 3, day, 17, 0))
        made.append((session, Booking.objects.get(pk=full.pk), Booking.objects.get(pk=part.pk)))
    return made


def test_each_partnership_has_its_own_settings_and_the_first_keeps_the_hub_wide_defaults(two):
    halton_p, warrington, _ = two
    assert evaluation_settings().partnership == halton_p and evaluation_settings().evaluate_within_days == 14
    assert evaluation_settings(warrington).evaluate_within_days == 7
    assert review_services.tracker_settings().amber_reach_percent == 50
    assert review_services.tracker_settings(warrington.pk).amber_reach_percent == 30
    assert EvaluationSettings.objects.count() == 2 and TrackerSettings.objects.count() == 2


def test_a_session_is_evaluated_under_its_delivering_partnerships_settings(two, make_session, trainer, practitioner,
                                                                         colleague, course):
    (h_session, h_full, h_part), (w_session, w_full, w_part) = _evaluated_sessions(
        two, make_session, trainer, practitioner, colleague)
    assert evaluating_statuses(h_session) == ["attended", "partial"]
    assert evaluating_statuses(w_session) == ["attended"]
    assert evaluate_by(CLOSED, session=h_session) == date(2030, 3, 28)
    assert evaluate_by(CLOSED, session=w_session) == date(2030, 3, 21)
    asked = {(m.to[0], m.subject.split("How was ")[-1].split("?")[0]): m.body
             for m in sent() if m.subject.startswith("How was")}
    # Halton asks both, by 28 March; Warrington asks only the full attender, by 22 March (closed the 15th)
    assert sorted(asked) == [("priya@halton.gov.uk", "Halton's course"), ("priya@halton.gov.uk",
                                                                          "Warrington's course"),
                             ("tom@halton.gov.uk", "Halton's course")]
    assert "by 28 March 2030" in asked[("priya@halton.gov.uk", "Halton's course")]
    assert "by 22 March 2030" in asked[("priya@halton.gov.uk", "Warrington's course")]


def test_follow_ups_and_refresher_notices_follow_the_delivering_partnership(two, make_session, trainer,
                                                                           practitioner, colleague, course):
    (_, h_full, _), (_, w_full, _) = _evaluated_sessions(two, make_session, trainer, practitioner, colleague)
    for booking in (h_full, w_full):
        submit_evaluation(booking, by=practitioner, now=CLOSED, **GOOD)
    # Warrington follows up after a month, Halton after three
    assert send_follow_ups(now=london(2030, 4, 20)) == 1
    assert Evaluation.objects.get(booking=w_full).follow_up_sent_at is not None
    assert Evaluation.objects.get(booking=h_full).follow_up_sent_at is None
    assert send_follow_ups(now=london(2030, 6, 20)) == 1
    # both certificates lapse in March 2033: Warrington warns 120 days ahead, Halton 60
    assert remind_refreshers(now=london(2032, 12, 1)) == 1
    assert Certificate.objects.get(booking=w_full).reminded_at is not None
    assert Certificate.objects.get(booking=h_full).reminded_at is None
    assert remind_refreshers(now=london(2033, 2, 1)) == 1


def test_a_recommendation_is_flagged_by_its_reviews_partnerships_threshold(two, halton, business_unit):
    _, warrington, w_bu = two
    grant_role(business_unit, roles.BUSINESS_UNIT, partnership=warrington)  # Beth reads both partnerships' tracker
    AgencyHeadcount.objects.create(agency=halton, headcount=100)
    rows = []
    for partnership, title in ((None, "Child H"), (warrington, "Child W")):
        review = review_services.create_review(kind="cspr", title=title, date=date(2025, 1, 1),
                                               partnership=partnership)
        rec = review_services.add_recommendation(review, text="Train on neglect.", lead_agency=halton,
                                                 due=date(2027, 1, 1))
        sway = publish_resource(title=f"{title} SWAY", theme="Neglect", kind="sway", owner_agency=halton,
                                url=f"https://sway.cloud.microsoft/{title[-1]}", partnership=partnership)
        review_services.change_recommendation(rec, resources=[sway], by=business_unit)
        Dissemination.objects.create(resource=sway, agency=halton, date=date(2025, 4, 1), staff_briefed=40)
        rows.append(rec.pk)
    flags = {row["rec"].pk: row["rag"] for row in review_selectors.tracker(business_unit, today=date(2026, 1, 15))}
    # 40% of Halton Borough Council's staff reached: under Halton's 50%, over Warrington's 30%
    assert (flags[rows[0]], flags[rows[1]]) == ("amber", "green")


@pytest.mark.parametrize("model", ["evaluationsettings", "trackersettings"])
def test_each_business_unit_sees_and_changes_its_own_settings_only_in_the_admin(client, two, model):
    halton_p, warrington, w_bu = two
    kind = EvaluationSettings if model == "evaluationsettings" else TrackerSettings
    app = "certificates" if model == "evaluationsettings" else "reviews"
    haltons, theirs = kind.objects.get(partnership=halton_p), kind.objects.get(partnership=warrington)
    client.force_login(w_bu)
    listing = client.get(f"/manage/{app}/{model}/")
    assert listing.status_code == 200
    assert f"/{theirs.pk}/change/" in listing.content.decode()
    assert f"/{haltons.pk}/change/" not in listing.content.decode()
    before = list(kind.objects.order_by("pk").values())
    body = ({"follow_up_months": "9", "refresher_notice_days": "1", "evaluate_within_days": "1"}
            if kind is EvaluationSettings else {"amber_reach_percent": "99"})
    answer = client.post(f"/manage/{app}/{model}/{haltons.pk}/change/", body)
    assert answer.status_code == 302 and answer["Location"].startswith("/manage/")
    assert list(kind.objects.order_by("pk").values()) == before
    assert client.get(f"/manage/{app}/{model}/add/").status_code == 403  # Warrington has its row already
    answer = client.post(f"/manage/{app}/{model}/{theirs.pk}/change/", body)
    assert answer.status_code == 302
    theirs.refresh_from_db()
    changed = theirs.follow_up_months == 9 if kind is EvaluationSettings else theirs.amber_reach_percent == 99
    assert changed
    assert kind.objects.get(pk=haltons.pk).partnership == halton_p


def test_a_hub_of_one_keeps_one_row_of_each(db, business_unit, client):
    assert evaluation_settings().partnership == default_partnership()
    client.force_login(business_unit)
    page = client.get("/manage/certificates/evaluationsettings/").content.decode()
    assert "Partnership" not in page.split("<thead")[1].split("</thead>")[0]
    assert EvaluationSettings.objects.count() == 1
    assert client.get("/manage/certificates/evaluationsettings/add/").status_code == 403  # made already
    assert timedelta(days=14) == evaluate_by(CLOSED) - CLOSED.date()


@pytest.mark.parametrize(("app", "model"), [("certificates", EvaluationSettings), ("reviews", TrackerSettings)])
def test_the_migration_gives_the_hub_wide_row_to_the_first_partnership(two, app, model):
    """The hub read its first row only: that row, with its values, becomes the first partnership's."""
    import importlib

    from django.apps import apps

    halton_p, warrington, _ = two
    migration = importlib.import_module(f"{app}.migrations.0004_settings_per_partnership")
    model.objects.all().delete()
    first = model.objects.create(partnership=warrington)  # stands for the hub-wide row, made first
    model.objects.create(partnership=halton_p)  # a later row the hub never read
    migration.give_the_row_to_the_first_partnership(apps, None)
    assert list(model.objects.values_list("pk", "partnership_id")) == [(first.pk, halton_p.pk)]
