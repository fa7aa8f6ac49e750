import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking
from courses import services
from courses.models import Session
from lib.dates import london

NOW = london(2030, 1, 6, 9, 0)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_calendar_shows_sessions_places_left_and_supporting_agencies(
    client, make_session, course, trainer, practitioner
):
    services.add_to_pool(course, trainer)
    session = make_session(trainers=[trainer], capacity=2)
    Booking.objects.create(session=session, person=practitioner, status="confirmed")
    page = client.get("/").content.decode()
    assert "Understanding Neglect and Local Procedures" in page
    assert "Thursday 14 March 2030, 09:30 to 16:00" in page
    assert "1 of 2" in page
    assert "Cheshire Constabulary" in page


def test_the_calendar_shows_a_signed_in_person_their_own_place(client, make_session, practitioner, colleague,
                                                                 make_course):
    booked, waiting, other = make_session(), make_session(capacity=1, starts_at=london(2030, 3, 20, 9, 30)), \
        make_session(starts_at=london(2030, 3, 27, 9, 30))
    Booking.objects.create(session=booked, person=practitioner, status="confirmed")
    Booking.objects.create(session=waiting, person=colleague, status="confirmed")
    Booking.objects.create(session=waiting, person=practitioner, status="waitlisted", waitlisted_at=london(2030, 1, 7))
    Booking.objects.create(session=other, person=practitioner, status="cancelled")
    client.force_login(practitioner)
    page = client.get("/").content.decode()
    assert page.count("You are booked") == 1 and page.count("You are on the waiting list") == 1
    assert page.index("You are booked") < page.index("20 March 2030") < page.index("You are on the waiting list")
    course_page = client.get(f"/courses/{booked.course_id}/").content.decode()
    assert "You are booked" in course_page
    client.force_login(colleague)
    page = client.get("/").content.decode()
    assert page.count("You are booked") == 1 and "waiting list</strong>" not in page
    client.logout()
    assert "You are booked" not in client.get("/").content.decode()


def test_calendar_filters_by_level_format_and_month(client, make_session, make_course):
    masterclass = make_course("Child Sexual Abuse Tools and Survivor's Story", level="masterclass", theme="CSA")
    make_session()
    make_session(
        course_=masterclass,
        starts_at=london(2030, 4, 2, 12, 30),
        minutes=60,
        format="online",
        venue="",
        online_url="https://teams.microsoft.com/l/x",
    )
    assert "Survivor" not in client.get("/", {"level": "basic"}).content.decode()
    page = client.get("/", {"level": "masterclass"}).content.decode()
    assert "Survivor" in page and "Understanding Neglect" not in page
    page = client.get("/", {"format": "online"}).content.decode()
    assert "Survivor" in page and "Understanding Neglect" not in page
    page = client.get("/", {"theme": "CSA"}).content.decode()
    assert "Survivor" in page and "Understanding Neglect" not in page


def test_month_filter_uses_london_midnight(client, make_session):
    # 00:30 London on 1 April 2030 is 23:30 UTC on 31 March: it belongs to April.
    make_session(starts_at=london(2030, 4, 1, 0, 30), minutes=60)
    from courses.selectors import CalendarFilters, sessions_for_calendar

    assert sessions_for_calendar(CalendarFilters(month="2030-04"), now=NOW).count() == 1
    assert sessions_for_calendar(CalendarFilters(month="2030-03"), now=NOW).count() == 0


def test_a_bad_filter_value_is_ignored_with_an_error_not_a_500(client, make_session):
    make_session()
    response = client.get("/", {"level": "expert", "month": "not-a-month"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_cancelled_and_past_sessions_leave_the_calendar(client, make_session):
    cancelled = make_session()
    services.cancel_session(cancelled)
    assert "Understanding Neglect" not in client.get("/").content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_calendar_runs_a_constant_number_of_queries(client, make_session, course, trainer, practitioner, signed_in):
    services.add_to_pool(course, trainer)
    make_session(trainers=[trainer])
    if signed_in:
        client.force_login(practitioner)

    few = queries_for(client, "/")
    for day in range(1, 25):
        later = make_session(starts_at=london(2030, 5, day, 9, 30), trainers=[trainer])
        Booking.objects.create(session=later, person=practitioner, status="confirmed")
    assert queries_for(client, "/") == few


def test_session_page_hides_the_joining_link_until_booked(client, make_session, practitioner):
    online = make_session(format="online", venue="", online_url="https://teams.microsoft.com/l/secret")
    assert "teams.microsoft.com/l/secret" not in client.get(f"/sessions/{online.pk}/").content.decode()
    Booking.objects.create(session=online, person=practitioner, status="confirmed")
    client.force_login(practitioner)
    assert "teams.microsoft.com/l/secret" in client.get(f"/sessions/{online.pk}/").content.decode()


def test_course_page_lists_prerequisites_and_sessions(client, make_course, session, course):
    top = make_course("Working Together Refresher", prerequisites=[course])
    page = client.get(f"/courses/{top.pk}/").content.decode()
    assert "Understanding Neglect and Local Procedures" in page
    assert client.get(f"/courses/{course.pk}/").status_code == 200
    assert client.get("/courses/99999/").status_code == 404


@pytest.mark.parametrize(("minutes", "words"), [(390, "6 hours 30 minutes"), (60, "1 hour"), (45, "45 minutes"),
                                               (61, "1 hour 1 minute"), (180, "3 hours")])
def test_course_page_gives_learning_time_in_hours_and_minutes(client, make_course, minutes, words):
    course = make_course("Timed", duration_minutes=minutes)
    page = client.get(f"/courses/{course.pk}/").content.decode()
    assert f'<dd class="govuk-summary-list__value">{words}</dd>' in page
    assert f"{minutes} minutes" not in page or minutes < 60


def test_admin_is_for_the_business_unit_only(client, practitioner, trainer, finance, business_unit):
    for person in (practitioner, trainer, finance):
        client.force_login(person)
        response = client.get("/manage/")
        assert response.status_code == 302 and "login" in response.url
        assert client.get("/manage/courses/course/").status_code == 302
    client.force_login(business_unit)
    assert client.get("/manage/").status_code == 200
    assert client.get("/manage/courses/course/add/").status_code == 200


def test_admin_refuses_a_prerequisite_cycle(client, business_unit, make_course):
    basic = make_course("Basic")
    top = make_course("Top", prerequisites=[basic])
    client.force_login(business_unit)
    response = client.post(
        f"/manage/courses/course/{basic.pk}/change/",
        {
            "title": "Basic",
            "level": "basic",
            "theme": "Neglect",
            "summary": "s",
            "duration_minutes": 60,
            "prerequisites": [top.pk],
            "is_active": "on",
            "pool-TOTAL_FORMS": 0,
            "pool-INITIAL_FORMS": 0,
            "pool-MIN_NUM_FORMS": 0,
            "pool-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    assert "cycle" in response.content.decode()
    assert not basic.prerequisites.exists()


def form_data(course, **overrides):
    return {
        "course": course.pk,
        "format": "in_person",
        "venue": "Runcorn Town Hall",
        "online_url": "",
        "capacity": 25,
        "part1_date": "2030-03-14",
        "part1_start": "09:30",
        "part1_end": "16:00",
    } | overrides


def test_business_unit_schedules_a_session_through_the_page(client, business_unit, course, trainer):
    services.add_to_pool(course, trainer)
    client.force_login(business_unit)
    response = client.post("/sessions/new/", form_data(course, trainers=[trainer.pk]))
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.starts_at == london(2030, 3, 14, 9, 30)
    assert list(session.allocations.values_list("person", flat=True)) == [trainer.pk]


def test_a_new_session_can_start_from_one_like_it(client, business_unit, course, trainer, make_session):
    services.add_to_pool(course, trainer)
    model = make_session(starts_at=london(2030, 3, 14, 9, 30), minutes=390, capacity=24, trainers=[trainer],
                         venue="The Brindley, Runcorn")
    client.force_login(business_unit)
    assert "Schedule another like this" in client.get(f"/sessions/{model.pk}/").content.decode()
    response = client.get(f"/sessions/new/?like={model.pk}")
    form = response.context["form"]
    assert "Starting from" in response.content.decode()
    assert {k: form.initial[k] for k in ("course", "venue", "capacity", "trainers")} == {
        "course": course.pk, "venue": "The Brindley, Runcorn", "capacity": 24, "trainers": [trainer.pk]}
    assert (str(form.initial["part1_start"]), str(form.initial["part1_end"])) == ("09:30:00", "16:00:00")
    assert "part1_date" not in form.initial  # the days are to choose
    for like in ("999999", "x", ""):
        assert client.get(f"/sessions/new/?like={like}").context["form"].initial == {}


def test_schedule_page_shows_the_rule_that_was_broken(client, business_unit, course):
    client.force_login(business_unit)
    response = client.post("/sessions/new/", form_data(course, part1_end="09:00"))
    assert response.status_code == 200
    assert "before it starts" in response.content.decode()
    response = client.post("/sessions/new/", form_data(course, capacity=0))
    assert "Places must be 1 or more" in response.content.decode()
    assert not Session.objects.exists()


def test_practitioner_cannot_reach_the_scheduling_pages(client, practitioner, session):
    client.force_login(practitioner)
    assert client.get("/sessions/new/").status_code == 403
    assert client.get(f"/sessions/{session.pk}/change/").status_code == 403
    assert client.post(f"/sessions/{session.pk}/cancel/").status_code == 403
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_business_unit_cancels_a_session_through_the_page(client, business_unit, session):
    client.force_login(business_unit)
    assert client.post(f"/sessions/{session.pk}/cancel/", {"reason": "Trainer unwell"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert "Trainer unwell" in client.get(f"/sessions/{session.pk}/").content.decode()


def test_calendar_pages_through_many_sessions(client, make_session):
    for day in range(1, 26):
        make_session(starts_at=london(2030, 5, day, 9, 30))
    first = client.get("/").content.decode()
    assert "25 sessions found" in first and "Page 1 of 2" in first
    second = client.get("/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert second.count('class="hub-session"') == 5
    assert client.get("/", {"page": "nonsense"}).status_code == 200


def test_health_check_answers_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").content == b"ok"


def test_the_business_unit_starts_from_one_page_and_others_do_not_see_it(client, business_unit, practitioner,
                                                                        soon_session):
    soon_session()
    client.force_login(business_unit)
    home = client.get("/").content.decode()
    assert 'href="/programme/"' in home and 'href="/sessions/new/"' not in home  # one item, not three
    page = client.get("/programme/").content.decode()
    assert "1 session scheduled from today" in page
    for href in ("/sessions/new/", "/charging-policy/", "/resources/new/", "/reports/annual/", "/manage/"):
        assert f'href="{href}"' in page
    client.force_login(practitioner)
    assert 'href="/programme/"' not in client.get("/").content.decode()
    assert client.get("/programme/").status_code == 403


def test_the_programme_lists_what_is_coming_up_with_places_trainers_and_booking(
    client, business_unit, make_session, course, trainer, practitioner, colleague, soon_session
):
    services.add_to_pool(course, trainer)
    staffed = make_session(trainers=[trainer], capacity=2)
    Booking.objects.create(session=staffed, person=practitioner, status="confirmed")
    Booking.objects.create(session=staffed, person=colleague, status="confirmed")
    unstaffed = make_session(starts_at=london(2030, 4, 2, 9, 30))
    cancelled = make_session(starts_at=london(2030, 4, 9, 9, 30))
    services.cancel_session(cancelled)
    open_now = soon_session()
    client.force_login(business_unit)
    page = client.get("/programme/").content.decode()
    assert "3 sessions scheduled from today" in page
    rows = page.split("<tbody")[-1].split("</tr>")
    assert open_now.get_absolute_url() in rows[0] and "Closes " in rows[0]  # the soonest first
    assert "2 of 2" in rows[1] and "Full" in rows[1] and trainer.name in rows[1] and "Opens 6 Jan" in rows[1]
    assert "0 of 20" in rows[2] and "No trainer yet" in rows[2]
    for link in (f'href="/sessions/{unstaffed.pk}/change/"', f'href="/sessions/{unstaffed.pk}/bookings/"'):
        assert link in rows[2]
    assert f"/sessions/{cancelled.pk}/" not in page


def test_the_programme_runs_a_constant_number_of_queries(client, business_unit, make_session, course, trainer):
    services.add_to_pool(course, trainer)
    make_session(trainers=[trainer])
    client.force_login(business_unit)

    few = queries_for(client, "/programme/")
    for day in range(1, 20):
        make_session(starts_at=london(2030, 5, day, 9, 30), trainers=[trainer])
    assert queries_for(client, "/programme/") == few
