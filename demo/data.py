"""Demo data from the partnership's own documents (seed 003: the 2024/25 programme, the briefings' venues).

Safe to run twice: everything is looked up by a natural key before it is created.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from attendance.services import close_register, mark
from bookings.importer import import_history
from bookings.models import Booking
from bookings.services import book_place, cancel_booking
from bookings.services.rules import why_booking_is_shut
from certificates.services import submit_evaluation
from courses import services
from courses.models import Course, Session
from demo.partnership import AGENCIES, COURSES, DEMO_PASSWORD, EMAIL_DOMAINS, OUTCOMES, PEOPLE, VENUES
from demo.reviews import load_reviews
from demo.samples import history_csv
from lib.dates import LONDON, is_working_day, working_days_before
from people import roles
from people.models import Agency
from people.services import add_person
from resources.models import Resource
from resources.services import publish_resource


def _working_days_from(start: date, count: int):
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
            yield day


@transaction.atomic
def load_demo(*, now: datetime | None = None, sessions_wanted: int = 36) -> dict:
    """The demo partnership: agencies, people, courses and their trainer pools, sessions to come, resources,
    2024/25's history and the last few weeks. Safe to run twice."""
    now = now or timezone.now()
    agencies = _agencies()
    people = {
        email: add_person(email, agency=agencies[code], role_names=role_names, password=DEMO_PASSWORD, name=name,
                          job_title=job)
        for email, name, code, role_names, job in PEOPLE
    }
    courses = _courses()
    by_title = {c.title: c for c in courses}
    _pools(courses, [p for p in people.values() if roles.TRAINER in set(p.groups.values_list("name", flat=True))])
    if Session.objects.filter(starts_at__gte=now).count() < sessions_wanted:
        _schedule(courses, now=now, wanted=sessions_wanted)
    _resources(agencies)
    _history()
    _recent_weeks(people, by_title, now=now)
    load_reviews(now=now)  # the learning tracker's reviews
    return {"agencies": len(agencies), "people": people, "courses": len(courses)}


def _agencies() -> dict:
    agencies = {}
    for code, name, kind, contact in AGENCIES:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "billing_contact_name": contact,
                "billing_email": f"invoices@{code}.example",
                "email_domains": EMAIL_DOMAINS.get(code, ""),
            },
        )
    return agencies


def _courses() -> list[Course]:
    """The programme's courses, with the two that need another first."""
    courses = []
    for title, level, theme, minutes, summary in COURSES:
        course = Course.objects.filter(title=title).first() or services.create_course(
            title=title, level=level, theme=theme, duration_minutes=minutes, summary=summary, learning_outcomes=OUTCOMES
        )
        courses.append(course)
    by_title = {c.title: c for c in courses}
    refresher = by_title["Working Together to Safeguard Children (Refresher)"]
    if not refresher.prerequisites.exists():
        services.change_course(refresher, prerequisites=[by_title["Working Together to Safeguard Children Level 3"]])
    masterclass = by_title["Child Sexual Abuse Tools and Survivor's Story"]
    if not masterclass.prerequisites.exists():
        services.change_course(masterclass, prerequisites=[by_title["Intra-Familial Child Sexual Abuse"]])
    return courses


def _pools(courses: list[Course], trainers: list) -> None:
    """Two trainers in each course's pool, taking turns."""
    for index, course in enumerate(courses):
        for trainer in (trainers[index % len(trainers)], trainers[(index + 1) % len(trainers)]):
            if not course.pool.filter(person=trainer).exists():
                services.add_to_pool(course, trainer)


def _past_session(course: Course, day: date, minutes: int, trainer) -> Session:
    starts = datetime.combine(day, time(9, 30), tzinfo=LONDON)
    if not course.pool.filter(person=trainer).exists():
        services.add_to_pool(course, trainer)
    return services.schedule_session(course, capacity=25, venue=VENUES[0][0], trainers=[trainer],
                                     parts=[services.Part(starts, starts + timedelta(minutes=minutes))],
                                     now=starts - timedelta(days=42))


def _recent_weeks(people: dict, by_title: dict, *, now: datetime) -> None:
    """The last few weeks of the partnership's life, played through the services the pages use, so
    that every demo account has work waiting: places booked, a register to take, an evaluation to
    write, a certificate to download, charges for finance and the agency manager to see.
    Runs once: not when the demo practitioner already has bookings."""

    me, colleague, nurse, dsl = (people[e] for e in ("practitioner@halton.gov.uk", "colleague@halton.gov.uk",
                                                     "nurse@bridgewater.nhs.uk", "dsl@riverside-college.ac.uk"))
    trainer = people["trainer@cheshire.police.uk"]
    if Booking.objects.filter(person=me).exists():
        return
    today = now.astimezone(LONDON).date()
    earlier = _past_session(by_title["Working Together to Safeguard Children Level 3"],
                            working_days_before(today, 30), 390, trainer)
    last_week = _past_session(by_title["Domestic Abuse Awareness"], working_days_before(today, 5), 180, trainer)
    yesterday = _past_session(by_title["Child Exploitation Awareness"], working_days_before(today, 1), 180, trainer)
    places = {}
    for session, who in ((earlier, [me, colleague]), (last_week, [me, colleague, nurse, dsl]),
                         (yesterday, [colleague, nurse, dsl])):
        for person in who:
            places[session, person] = book_place(session, person, now=session.starts_at - timedelta(days=21))
    # Two working days' notice is inside the policy's five: a late cancellation, charged to the college.
    cancel_booking(places[last_week, dsl], by=dsl, now=datetime.combine(
        working_days_before(last_week.starts_at.astimezone(LONDON).date(), 2), time(11, 0), tzinfo=LONDON))
    for session, attended in ((earlier, [me, colleague]), (last_week, [me, colleague])):
        mark(session, [(places[session, p].pk, "attended") for p in attended], by=trainer, now=session.ends_at)
        close_register(session, by=trainer, now=session.ends_at)  # the nurse was not there: a no-show
    for session, person in ((earlier, me), (last_week, colleague)):
        _evaluate(places[session, person], person, now=session.ends_at + timedelta(days=1))
    # Coming up: yesterday's register is still open for the trainer; two places on the calendar.
    _coming_places(me, nurse, now=now, not_courses={earlier.course_id, last_week.course_id, yesterday.course_id})


def _coming_places(me, nurse, *, now: datetime, not_courses: set[int]) -> None:
    """Places on the next in-person and online sessions open to book (the nurse joins the in-person one)."""
    coming = [s for s in Session.objects.filter(starts_at__gt=now).select_related("course").order_by("starts_at")
              if why_booking_is_shut(s, now=now) is None and not s.course.prerequisites.exists()
              and s.course_id not in not_courses]
    for session in [next((s for s in coming if s.format == fmt), None) for fmt in ("in_person", "online")]:
        if session is not None:
            book_place(session, me, now=now)
            if session.format == "in_person":
                book_place(session, nurse, now=now)


def _evaluate(booking, person, *, now: datetime) -> None:
    submit_evaluation(booking, by=person, confidence_before=2, confidence_after=4,
                      learning="How the partner agencies share information at a strategy discussion.",
                      impact_statement="I will ask for a strategy discussion sooner, and record the "
                                       "child's voice in every assessment.",
                      now=now)


def _schedule(courses, *, now: datetime, wanted: int) -> None:
    days = list(_working_days_from(now.astimezone(LONDON).date() + timedelta(days=7), wanted * 2))
    for n in range(wanted):
        course = courses[n % len(courses)]
        day = days[n * 2]
        trainer = course.pool.select_related("person").order_by("?").first()
        if course.duration_minutes <= 120:  # the lunchtime online sessions the briefings advertise
            start = datetime.combine(day, time(12, 30), tzinfo=LONDON)
            parts = [services.Part(start, start + timedelta(minutes=max(course.duration_minutes, 60)))]
            kwargs = {"format": "online", "online_url": "https://teams.microsoft.com/l/meetup-join/demo-" + str(n)}
            capacity = 40
        else:
            venue, start_t, end_t = VENUES[n % len(VENUES)]
            parts = [
                services.Part(
                    datetime.combine(day, start_t, tzinfo=LONDON), datetime.combine(day, end_t, tzinfo=LONDON)
                )
            ]
            kwargs = {"format": "in_person", "venue": venue}
            capacity = 25
        try:
            services.schedule_session(
                course, capacity=capacity, parts=parts, trainers=[trainer.person], now=now, **kwargs
            )
        except services.Conflict:
            services.schedule_session(course, capacity=capacity, parts=parts, now=now, **kwargs)


# The multi-agency virtual materials seed 003 names (section 11).
RESOURCES = [
    ("Strategy Meeting SWAY", "Strategy meetings", "sway", "https://sway.cloud.microsoft/halton-strategy-meetings",
     ["halton-bc", "cheshire-police", "cm-icb"]),
    ("Section 47 SWAY", "Section 47 enquiries", "sway", "https://sway.cloud.microsoft/halton-section-47",
     ["halton-bc", "cheshire-police", "bridgewater"]),
    ("Voice of the Child: 7-minute guide", "Voice of the child", "seven_minute_guide",
     "https://haltonsafeguarding.co.uk/resources/voice-of-the-child-7mb.pdf", ["halton-bc"]),
    ("Professional Resolution: 7-minute guide", "Professional resolution", "seven_minute_guide",
     "https://haltonsafeguarding.co.uk/resources/professional-resolution-7mb.pdf", ["halton-bc", "cm-icb"]),
    ("ICON: babies cry, you can cope", "Infant crying", "video", "https://iconcope.org/", ["cm-icb", "bridgewater"]),
]


def _resources(agencies) -> None:

    for title, theme, kind, url, makers in RESOURCES:
        if not Resource.objects.filter(title=title).exists():
            publish_resource(title=title, theme=theme, kind=kind, url=url, owner_agency=agencies[makers[0]],
                             created_by_agencies=[agencies[c] for c in makers])


def _history() -> None:
    """2024/25 as the annual report tells it (synthetic rows built to its totals), for the analysis pages."""

    if not Booking.objects.filter(session__starts_at__year=2024).exists():
        import_history(history_csv())
