"""Isolation of the programme on a network: Warrington's business unit and trainer against Halton's objects.

Every action the business unit or a trainer takes on a course, session, register, mark, trainer pool, resource,
briefing, learning review or recommendation, through the API and the pages (and the admin), as the other
partnership's business unit and trainer: none succeeds, nothing changes, and no answer names Halton's people.
Not visible is a 404 (a learning review, a booking); visible but not theirs is a 403 (a course or session in the
public catalogue, a resource).
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from attendance.models import Correction, Mark
from attendance.services import close_register
from bookings.models import Booking
from courses import services as course_services
from courses.models import Course, Session, TrainerPoolMembership
from lib.dates import LONDON
from people import roles
from people.models import Agency, Partnership
from people.partnerships import default_partnership
from people.services import set_roles
from resources.models import Briefing, Dissemination, Resource
from resources.services import publish_resource
from reviews.models import Evidence, LearningReview, Recommendation
from reviews.services import add_recommendation, create_review
from tests.conftest import confirmed

HALTON_PEOPLE = ("Priya Shah", "priya@halton.gov.uk", "Tom Walsh", "tom@halton.gov.uk")


def at_half_nine(moment):
    day = moment.astimezone(LONDON).date()
    return timezone.datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON)


@pytest.fixture
def network(db, halton, course, make_session, make_person, trainer, practitioner, colleague):
    """Halton (the first partnership) with its programme in full swing, and Warrington beside it."""
    halton_p = default_partnership()
    warrington = Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    wbc = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council", kind="statutory_partner")
    wbc.partnerships.add(warrington)
    bu = make_person("wendy@warrington.gov.uk", wbc, roles.PRACTITIONER, name="Wendy Ward")
    set_roles(bu, [roles.PRACTITIONER, roles.BUSINESS_UNIT], partnership=warrington)
    w_trainer = make_person("will@warrington.gov.uk", wbc, name="Will Wood")
    for person in (bu, w_trainer):
        person.home_partnership = warrington
        person.save(update_fields=["home_partnership"])
    now = timezone.now()
    w_course = course_services.create_course(title="Warrington's own course", level="basic", theme="Neglect",
                                             duration_minutes=180, summary="Theirs.", partnership=warrington)
    course_services.add_to_pool(w_course, w_trainer)
    w_session = make_session(course_=w_course, trainers=[w_trainer], starts_at=at_half_nine(now + timedelta(days=20)),
                             now=now - timedelta(minutes=1))

    course_services.add_to_pool(course, trainer)
    start = at_half_nine(now - timedelta(days=10))
    done = make_session(starts_at=start, now=start - timedelta(days=30), trainers=[trainer])
    attended, missed = confirmed(done, practitioner, colleague)
    Mark.objects.create(booking=attended, outcome="attended", marked_by=trainer)
    close_register(done, by=trainer, now=now)
    coming = make_session(starts_at=at_half_nine(now + timedelta(days=30)), now=now - timedelta(minutes=1),
                          trainers=[trainer])
    [booked] = confirmed(coming, practitioner)
    resource = publish_resource(title="Halton's neglect toolkit", theme="Neglect", kind="document",
                                url="https://halton.example/toolkit", owner_agency=halton)
    review = create_review(kind="cspr", title="Child H", date=now.date() - timedelta(days=60))
    rec = add_recommendation(review, text="Train on neglect.", lead_agency=halton,
                             due=now.date() + timedelta(days=90))
    return SimpleNamespace(halton=halton_p, warrington=warrington, bu=bu, trainer=w_trainer, w_course=w_course,
                           w_session=w_session, course=course, done=done, attended=attended, coming=coming,
                           booked=booked, resource=resource, review=review, rec=rec, halton_trainer=trainer)


def state(n) -> tuple:
    """Everything the actions below could change."""
    return (
        list(Course.objects.order_by("pk").values_list("title", "partnership_id", "is_active")),
        list(Session.objects.order_by("pk").values_list("capacity", "status", "venue", "course_id")),
        list(TrainerPoolMembership.objects.order_by("pk").values_list("course_id", "person_id")),
        list(Booking.objects.order_by("pk").values_list("status")),
        list(Mark.objects.order_by("pk").values_list("booking_id", "outcome")),
        Correction.objects.count(), Dissemination.objects.count(), Briefing.objects.count(),
        list(Resource.objects.order_by("pk").values_list("title", "retired_at", "partnership_id")),
        list(LearningReview.objects.order_by("pk").values_list("title", "partnership_id")),
        list(Recommendation.objects.order_by("pk").values_list("text", "status", "due")),
        Evidence.objects.count(),
    )


def today_plus(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def session_body(n) -> dict:
    start = at_half_nine(timezone.now() + timedelta(days=40))
    return {"course": n.course.pk, "capacity": 12, "venue": "Runcorn", "parts": [
        {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=3)).isoformat()}]}


# (what, method, address, body, answer to Warrington's business unit, answer to Warrington's trainer)
API = [
    ("change a course", "patch", lambda n: f"/api/v1/courses/{n.course.pk}/", lambda n: {"title": "Taken"}, 403, 403),
    ("add a course for them", "post", lambda n: "/api/v1/courses/", lambda n: {
        "title": "Slipped in", "level": "basic", "theme": "Neglect", "summary": "x", "duration_minutes": 60,
        "partnership": "halton"}, 403, 403),
    ("add to a trainer pool", "post", lambda n: f"/api/v1/courses/{n.course.pk}/trainers/",
     lambda n: {"person": n.trainer.pk}, 403, 403),
    ("take out of a trainer pool", "delete", lambda n: f"/api/v1/courses/{n.course.pk}/trainers/"
     f"{n.halton_trainer.pk}/", lambda n: None, 403, 403),
    ("schedule a session", "post", lambda n: "/api/v1/sessions/", session_body, 403, 403),
    ("change a session", "patch", lambda n: f"/api/v1/sessions/{n.coming.pk}/", lambda n: {"capacity": 99},
     403, 403),
    ("cancel a session", "post", lambda n: f"/api/v1/sessions/{n.coming.pk}/cancel/",
     lambda n: {"reason": "Gone"}, 403, 403),
    ("read a register", "get", lambda n: f"/api/v1/sessions/{n.done.pk}/register/", lambda n: None, 403, 403),
    ("mark a register", "post", lambda n: f"/api/v1/sessions/{n.coming.pk}/register/",
     lambda n: {"marks": [{"booking": n.booked.pk, "outcome": "attended"}]}, 403, 403),
    ("close a register", "post", lambda n: f"/api/v1/sessions/{n.coming.pk}/register/close/",
     lambda n: None, 403, 403),
    ("correct a mark", "post", lambda n: f"/api/v1/sessions/{n.done.pk}/register/{n.attended.pk}/correct/",
     lambda n: {"outcome": "no_show", "reason": "Left early"}, 403, 403),
    ("read a booking", "get", lambda n: f"/api/v1/bookings/{n.booked.pk}/", lambda n: None, 404, 404),
    ("cancel a booking", "post", lambda n: f"/api/v1/bookings/{n.booked.pk}/cancel/", lambda n: None, 404, 404),
    ("publish a resource for them", "post", lambda n: "/api/v1/resources/", lambda n: {
        "title": "Slipped in", "theme": "Neglect", "kind": "document", "url": "https://example.org/x",
        "owner_agency": "halton-bc", "partnership": "halton"}, 403, 403),
    ("record a dissemination", "post", lambda n: f"/api/v1/resources/{n.resource.pk}/disseminations/",
     lambda n: {"date": today_plus(-1), "staff_briefed": 5}, 403, 403),
    ("read a learning review", "get", lambda n: f"/api/v1/learning-reviews/{n.review.pk}/", lambda n: None,
     404, 403),
    ("record a review for them", "post", lambda n: "/api/v1/learning-reviews/", lambda n: {
        "kind": "cspr", "title": "Slipped in", "date": today_plus(-5), "partnership": "halton"}, 403, 403),
    ("read a recommendation", "get", lambda n: f"/api/v1/recommendations/{n.rec.pk}/", lambda n: None, 404, 403),
    ("add a recommendation", "post", lambda n: "/api/v1/recommendations/", lambda n: {
        "review": n.review.pk, "text": "Slipped in", "lead_agency": "halton-bc", "due": today_plus(30)},
     400, 403),
    ("change a recommendation", "patch", lambda n: f"/api/v1/recommendations/{n.rec.pk}/",
     lambda n: {"status": "closed", "reason": "Done"}, 404, 403),
    ("add evidence", "post", lambda n: f"/api/v1/recommendations/{n.rec.pk}/evidence/",
     lambda n: {"note": "Slipped in"}, 404, 403),
    ("read a recommendation's reach", "get", lambda n: f"/api/v1/recommendations/{n.rec.pk}/reach/",
     lambda n: None, 404, 403),
]

# (what, method, address, form, answer to Warrington's business unit, answer to Warrington's trainer)
PAGES = [
    ("change a session", "get", lambda n: f"/sessions/{n.coming.pk}/change/", lambda n: {}, 403, 403),
    ("change a session", "post", lambda n: f"/sessions/{n.coming.pk}/change/", lambda n: {
        "format": "in_person", "venue": "Elsewhere", "capacity": "99"}, 403, 403),
    ("cancel a session", "post", lambda n: f"/sessions/{n.coming.pk}/cancel/", lambda n: {"reason": "Gone"},
     403, 403),
    ("see who is booked", "get", lambda n: f"/sessions/{n.coming.pk}/bookings/", lambda n: {}, 403, 403),
    ("download who is booked", "get", lambda n: f"/sessions/{n.coming.pk}/bookings/?format=csv", lambda n: {},
     403, 403),
    ("message everyone booked", "post", lambda n: f"/sessions/{n.coming.pk}/bookings/",
     lambda n: {"subject": "Hello", "body": "Moved"}, 403, 403),
    ("open a register", "get", lambda n: f"/sessions/{n.done.pk}/register/", lambda n: {}, 403, 403),
    ("print a sign-in sheet", "get", lambda n: f"/sessions/{n.done.pk}/register/sign-in-sheet.pdf",
     lambda n: {}, 403, 403),
    ("mark a register", "post", lambda n: f"/sessions/{n.coming.pk}/register/",
     lambda n: {"action": "all_attended"}, 403, 403),
    ("correct a mark", "post", lambda n: f"/sessions/{n.done.pk}/register/", lambda n: {
        "action": "correct", "booking": n.attended.pk, "outcome": "no_show", "reason": "Left"}, 403, 403),
    ("cancel a booking", "post", lambda n: f"/bookings/{n.booked.pk}/cancel/", lambda n: {}, 404, 404),
    ("retire a resource", "post", lambda n: f"/resources/{n.resource.pk}/", lambda n: {"action": "retire"},
     403, 403),
    ("record a dissemination", "post", lambda n: f"/resources/{n.resource.pk}/", lambda n: {
        "action": "disseminate", "date_0": "1", "date_1": "1", "date_2": "2025", "format": "team_meeting",
        "staff_briefed": "5"}, 403, 403),
    ("read a learning review", "get", lambda n: f"/learning/reviews/{n.review.pk}/", lambda n: {}, 404, 403),
    ("change a learning review", "post", lambda n: f"/learning/reviews/{n.review.pk}/change/", lambda n: {
        "kind": "cspr", "title": "Taken", "date_0": "1", "date_1": "1", "date_2": "2025"}, 404, 403),
    ("add a recommendation", "post", lambda n: f"/learning/reviews/{n.review.pk}/recommendations/new/",
     lambda n: {"text": "Slipped in"}, 404, 403),
    ("read a recommendation", "get", lambda n: f"/learning/recommendations/{n.rec.pk}/", lambda n: {}, 404, 403),
    ("add evidence", "post", lambda n: f"/learning/recommendations/{n.rec.pk}/", lambda n: {"note": "x"},
     404, 403),
    ("change a recommendation", "post", lambda n: f"/learning/recommendations/{n.rec.pk}/change/",
     lambda n: {"status": "closed", "reason": "Done"}, 404, 403),
]

# The admin answers another partnership's row as one that does not exist: back to its index (a redirect), and for
# a trainer (no admin at all) to its sign-in page.
ADMIN = [
    ("change a course", "post", lambda n: f"/manage/courses/course/{n.course.pk}/change/",
     lambda n: {"title": "Taken", "level": "basic", "theme": "x", "duration_minutes": "60"}),
    ("delete a course", "post", lambda n: f"/manage/courses/course/{n.course.pk}/delete/", lambda n: {"post": "yes"}),
    ("see a session", "get", lambda n: f"/manage/courses/session/{n.coming.pk}/change/", lambda n: {}),
    ("change a learning review", "post", lambda n: f"/manage/reviews/learningreview/{n.review.pk}/change/",
     lambda n: {"kind": "cspr", "title": "Taken", "date": "2025-01-01"}),
    ("delete a learning review", "post", lambda n: f"/manage/reviews/learningreview/{n.review.pk}/delete/",
     lambda n: {"post": "yes"}),
    ("see a recommendation", "get", lambda n: f"/manage/reviews/recommendation/{n.rec.pk}/change/", lambda n: {}),
    ("change a person's roles", "post", lambda n: f"/manage/people/person/{n.booked.person_id}/change/",
     lambda n: {"name": "Taken", "email": "priya@halton.gov.uk", "groups": []}),
    ("change the booking settings", "post",
     lambda n: f"/manage/bookings/bookingsettings/{n.halton.booking_settings.pk}/change/", lambda n: {}),
]


def _answer(client, method, address, body, *, json=False):
    send = getattr(client, method)
    if body is None:
        return send(address)
    return send(address, body, format="json") if json else send(address, body)


def _says_nothing_of_halton_people(response) -> None:
    text = response.content.decode(errors="replace")
    for word in HALTON_PEOPLE:
        assert word not in text, f"{response.request['PATH_INFO']} named {word}"


@pytest.mark.parametrize("who", ["bu", "trainer"])
@pytest.mark.parametrize(("what", "method", "address", "body", "as_bu", "as_trainer"), API,
                         ids=[f"api: {row[0]}" for row in API])
def test_through_the_api_another_partnership_does_nothing_to_haltons_programme(
        network, who, what, method, address, body, as_bu, as_trainer):
    client = APIClient()
    client.force_authenticate(getattr(network, who))
    before = state(network)
    response = _answer(client, method, address(network), body(network), json=True)
    assert response.status_code == (as_bu if who == "bu" else as_trainer), (what, response.content)
    assert state(network) == before, what
    _says_nothing_of_halton_people(response)


@pytest.mark.parametrize("who", ["bu", "trainer"])
@pytest.mark.parametrize(("what", "method", "address", "body", "as_bu", "as_trainer"), PAGES,
                         ids=[f"page: {row[0]} ({row[1]})" for row in PAGES])
def test_on_the_pages_another_partnership_does_nothing_to_haltons_programme(
        client, network, who, what, method, address, body, as_bu, as_trainer):
    client.force_login(getattr(network, who))
    before = state(network)
    response = _answer(client, method, address(network), body(network))
    assert response.status_code == (as_bu if who == "bu" else as_trainer), what
    assert state(network) == before, what
    _says_nothing_of_halton_people(response)


@pytest.mark.parametrize("who", ["bu", "trainer"])
@pytest.mark.parametrize(("what", "method", "address", "body"), ADMIN, ids=[f"admin: {row[0]}" for row in ADMIN])
def test_in_the_admin_another_partnership_does_nothing_to_haltons_programme(
        client, network, who, what, method, address, body):
    from bookings.models import BookingSettings

    BookingSettings.objects.get_or_create(partnership=network.halton)
    network.halton.refresh_from_db()
    client.force_login(getattr(network, who))
    before = state(network)
    response = _answer(client, method, address(network), body(network))
    assert response.status_code == 302, what
    assert response["Location"].startswith("/manage/"), what
    assert state(network) == before, what
    _says_nothing_of_halton_people(client.get(response["Location"]))


def test_the_same_actions_succeed_for_haltons_own_business_unit(network, business_unit, api_as):
    """The table is not empty by accident: Halton's business unit does what Warrington's could not."""
    client = api_as(business_unit)
    assert client.patch(f"/api/v1/courses/{network.course.pk}/", {"summary": "Ours."}, format="json").status_code == 200
    assert client.get(f"/api/v1/sessions/{network.done.pk}/register/").status_code == 200
    assert client.get(f"/api/v1/bookings/{network.booked.pk}/").status_code == 200
    assert client.get(f"/api/v1/learning-reviews/{network.review.pk}/").status_code == 200
    assert client.patch(f"/api/v1/sessions/{network.coming.pk}/", {"capacity": 25}, format="json").status_code == 200
    corrected = client.post(f"/api/v1/sessions/{network.done.pk}/register/{network.attended.pk}/correct/",
                            {"outcome": "partial", "reason": "Left at lunch"}, format="json")
    assert corrected.status_code == 200, corrected.content
    assert client.post(f"/api/v1/sessions/{network.coming.pk}/cancel/", {"reason": "Snow"},
                       format="json").status_code == 200


def test_warringtons_own_trainer_takes_warringtons_register(network, api_as):
    assert api_as(network.trainer).get(f"/api/v1/sessions/{network.w_session.pk}/register/").status_code == 200


def test_lists_hold_only_the_business_units_own_partnership(network, api_as, client):
    api = api_as(network.bu)
    assert api.get("/api/v1/bookings/").json()["results"] == []
    assert api.get("/api/v1/learning-reviews/").json()["results"] == []
    assert api.get("/api/v1/recommendations/").json() == []
    reach = api.get("/api/v1/reports/resources/").json()
    assert [row for row in reach if row["resource"] == network.resource.pk] == []
    client.force_login(network.bu)
    for address in ("/programme/", "/learning/", "/manage/courses/course/", "/manage/courses/session/",
                    "/manage/people/person/", "/manage/reviews/learningreview/", "/manage/reviews/recommendation/",
                    "/manage/notifications/message/", "/reports/resources/", "/sessions/new/", "/briefings/new/"):
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        _says_nothing_of_halton_people(response)
        assert "Understanding Neglect and Local Procedures" not in page, address  # Halton's course
        assert "Child H" not in page and "Halton&#x27;s neglect toolkit" not in page, address
    assert "Warrington&#x27;s own course" in client.get("/programme/").content.decode()


def test_a_pool_offers_every_trainer_but_no_other_partnerships_practitioners(client, network):
    client.force_login(network.bu)
    found = client.get("/manage/autocomplete/", {"app_label": "courses", "model_name": "trainerpoolmembership",
                                                 "field_name": "person", "term": ""}).json()["results"]
    names = " ".join(result["text"] for result in found)
    assert "Sam Hughes" in names and "Will Wood" in names and "Wendy Ward" in names
    assert not [word for word in HALTON_PEOPLE if word in names]


def test_a_session_page_offers_its_management_to_its_own_business_unit_only(client, network, business_unit):
    client.force_login(network.bu)
    assert "Change this session" not in client.get(f"/sessions/{network.coming.pk}/").content.decode()
    assert "Change this session" in client.get(f"/sessions/{network.w_session.pk}/").content.decode()
    client.force_login(business_unit)
    assert "Change this session" in client.get(f"/sessions/{network.coming.pk}/").content.decode()


def test_on_the_demo_network_each_business_unit_runs_its_own_programme(db, client):
    """The demo's Warrington business unit sees Warrington's sessions on Run the programme, not Halton's, and may
    not change Halton's; Halton's may."""
    from demo.data import load_demo
    from lib.dates import london
    from people.models import Person

    load_demo(now=london(2026, 11, 23, 10, 0))
    halton_session = Session.objects.filter(course__partnership__slug="halton").order_by("pk").first()
    for email, theirs in (("business@warrington.gov.uk", False), ("business@halton.gov.uk", True)):
        client.force_login(Person.objects.get(email=email))
        assert client.get("/programme/").status_code == 200
        assert client.get(f"/sessions/{halton_session.pk}/change/").status_code == (200 if theirs else 403)
        assert client.get(f"/sessions/{halton_session.pk}/bookings/").status_code == (200 if theirs else 403)
