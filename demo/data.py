"""Demo data from the partnership's own documents (seed 003: the 2024/25 programme, the briefings' venues).

Safe to run twice: everything is looked up by a natural key before it is created.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from attendance.services import close_register, mark
from bookings.importer import import_history
from bookings.models import Booking
from bookings.services import book_place, cancel_booking
from bookings.services.rules import why_booking_is_shut
from certificates.services import submit_evaluation
from courses import services
from courses.models import Course, Session, SessionReservation
from demo import network
from demo.days import training_day_before, training_days_after
from demo.partnership import AGENCIES, COURSES, DEMO_PASSWORD, EMAIL_DOMAINS, OUTCOMES, PEOPLE, VENUES
from demo.reviews import load_reviews
from demo.samples import history_csv
from lib.dates import LONDON, working_days_before
from people import roles
from people.models import Agency, Partnership, Person, RoleGrant
from people.partnerships import default_partnership
from people.services import add_partnership, add_person, forget_roles, set_roles
from resources.models import Resource
from resources.services import publish_resource


@transaction.atomic
def load_demo(*, now: datetime | None = None, sessions_wanted: int = 36) -> dict:
    """The demo partnership (Halton): agencies, people, courses and their trainer pools, sessions to come,
    resources, 2024/25's history and the last few weeks; then the rest of the Pan-Cheshire network (_network).
    `sessions_wanted`: Halton's sessions to come (none: the rest of the network schedules none either).
    Safe to run twice."""
    now = now or timezone.now()
    password = make_password(DEMO_PASSWORD)  # hashed once: the hash is most of an account's cost
    partnerships = _partnerships()
    agencies = _agencies(partnerships)
    people = {
        email: _account(email, agency=agencies[code], role_names=role_names, name=name, job=job, password=password)
        for email, name, code, role_names, job in PEOPLE
    }
    courses = _courses()
    by_title = {c.title: c for c in courses}
    _pools(courses, [p for p in people.values() if roles.TRAINER in set(p.groups.values_list("name", flat=True))])
    if Session.objects.filter(starts_at__gte=now, course__partnership=default_partnership()).count() < sessions_wanted:
        _schedule(courses, now=now, wanted=sessions_wanted)
    _resources(agencies)
    _history()
    _recent_weeks(people, by_title, now=now)
    load_reviews(now=now)  # the learning tracker's reviews
    network_people, network_courses = _network(partnerships, agencies, password, now=now,
                                                sessions=sessions_wanted > 0)
    return {"partnerships": len(partnerships), "agencies": len(agencies), "people": people | network_people,
            "courses": len(courses) + network_courses}


def _account(email: str, *, agency, role_names, name: str, job: str, password: str,
             home: Partnership | None = None, scoped_for: list[Partnership] = ()) -> Person:
    """A demo account with the demo password (`password`, already hashed) and `home` partnership (None: the
    first); its scoped roles (business unit, finance, trainer) held for each of `scoped_for` (none: the first)."""
    network_wide = [r for r in role_names if r not in roles.SCOPED] if scoped_for else role_names
    person = add_person(email, agency=agency, role_names=network_wide, password=None, name=name, job_title=job)
    for partnership in scoped_for:
        set_roles(person, role_names, partnership=partnership)
    Person.objects.filter(pk=person.pk).update(password=password, home_partnership=home)
    person.password, person.home_partnership = password, home
    return person


def _partnerships() -> dict[str, Partnership]:
    """Halton (the first, the settings') with its contact details, then its three neighbours."""
    first = default_partnership()
    if not first.contact_email:
        first.contact_email, first.website = network.HALTON_CONTACT
        first.save(update_fields=["contact_email", "website"])
    partnerships = {network.HALTON: first}
    for slug, name, contact, website in network.PARTNERSHIPS:
        partnerships[slug] = (Partnership.objects.filter(slug=slug).first()
                              or add_partnership(slug, name=name, contact_email=contact, website=website))
    return partnerships


def _agencies(partnerships: dict) -> dict:
    """Halton's agencies, those serving the whole network members of all four, then the others' own."""
    agencies = {}
    rows = [(code, name, kind, contact, EMAIL_DOMAINS.get(code, ""), network.SHARED.get(code, [network.HALTON]))
            for code, name, kind, contact in AGENCIES] + network.AGENCIES
    for code, name, kind, contact, domains, members in rows:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "billing_contact_name": contact,
                "billing_email": f"invoices@{code}.example",
                "email_domains": domains,
            },
        )
        agencies[code].partnerships.set([partnerships[slug] for slug in members])
    return agencies


def _courses() -> list[Course]:
    """The programme's courses, with the two that need another first."""
    courses = []
    halton = default_partnership()
    for title, level, theme, minutes, summary in COURSES:
        course = Course.objects.filter(partnership=halton, title=title).first() or services.create_course(
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
                            training_day_before(today, 30), 390, trainer)
    last_week = _past_session(by_title["Domestic Abuse Awareness"], training_day_before(today, 5), 180, trainer)
    yesterday = _past_session(by_title["Child Exploitation Awareness"], training_day_before(today, 1), 180, trainer)
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
    halton = default_partnership()
    coming = [s for s in Session.objects.filter(starts_at__gt=now, course__partnership=halton)
              .select_related("course").order_by("starts_at")
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
    days = list(training_days_after(now.astimezone(LONDON).date() + timedelta(days=7), wanted * 2))
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


# --- The rest of the Pan-Cheshire network (demo.network) ---


def _network(partnerships: dict, agencies: dict, password: str, *, now: datetime, sessions: bool) -> tuple[dict, int]:
    """Halton's three neighbours: their people (each with a home partnership, the scoped roles held for their own),
    their courses and trainer pools, and with `sessions` a few sessions each, the masterclasses open to the
    network (Warrington's keeping places for Halton) and places booked across it. Returns the people and the
    number of courses."""
    people = {
        email: _account(email, agency=agencies[code], role_names=role_names, name=name, job=job, password=password,
                        home=partnerships[home] if home else None, scoped_for=[partnerships[s] for s in scoped])
        for email, name, code, role_names, job, home, scoped in network.PEOPLE
    }
    courses = [
        Course.objects.filter(partnership=partnerships[slug], title=title).first() or services.create_course(
            title=title, level=level, theme=theme, duration_minutes=minutes, summary=summary,
            learning_outcomes=OUTCOMES, partnership=partnerships[slug])
        for title, level, theme, minutes, summary, slug in network.COURSES
    ]
    _network_pools(courses, people, partnerships)
    if sessions and not Session.objects.filter(course__in=courses, starts_at__gte=now).exists():
        _network_sessions(courses, people, partnerships, now=now)
        for email, titles in network.PLACES:
            for title in titles:
                session = (Session.objects.filter(course__in=courses, course__title=title, starts_at__gt=now)
                           .order_by("starts_at").first())
                book_place(session, people[email], now=now)
    return people, len(courses)


def _network_pools(courses: list[Course], people: dict, partnerships: dict) -> None:
    """Each partnership's trainer in its own courses' pools, the police's exploitation lead in the masterclasses'."""
    slugs = {p.pk: slug for slug, p in partnerships.items()}
    masterclass_trainer = people[network.MASTERCLASS_TRAINER]
    for course in courses:
        pool = [people[network.TRAINERS[slugs[course.partnership_id]]]]
        if course.level == Course.Level.MASTERCLASS:
            pool.append(masterclass_trainer)
        for trainer in pool:
            if not course.pool.filter(person=trainer).exists():
                services.add_to_pool(course, trainer)
    # Joining a pool grants the trainer role; each of these trainers holds it for their own partnerships only.
    for email, _name, _code, _roles, _job, _home, scoped in network.PEOPLE:
        if email in network.TRAINERS.values() or email == network.MASTERCLASS_TRAINER:
            RoleGrant.objects.filter(person=people[email], role=roles.TRAINER).exclude(
                partnership__slug__in=scoped).delete()
            forget_roles(people[email])


def _network_sessions(courses: list[Course], people: dict, partnerships: dict, *, now: datetime) -> None:
    """Each partnership's own courses once (the day-long one twice, once at each venue), from two weeks ahead;
    its masterclass six weeks on, open to the network; Warrington's keeps places for Halton until a date."""
    days = list(training_days_after(now.astimezone(LONDON).date() + timedelta(days=14), 32))
    reserved_title, reserved_for, reserved_places = network.RESERVED
    for index, (slug, _name, _contact, _website) in enumerate(network.PARTNERSHIPS):
        trainer = people[network.TRAINERS[slug]]
        own = [c for c in courses if c.partnership_id == partnerships[slug].pk]
        turn = 0
        for course in own:
            if course.level == Course.Level.MASTERCLASS:
                continue
            for venue in network.VENUES[slug][:2 if course.duration_minutes >= 390 else 1]:
                _network_session(course, days[index + 3 * turn], venue, [trainer], now=now)
                turn += 1
        for course in own:
            if course.level != Course.Level.MASTERCLASS:
                continue
            session = _network_session(course, days[26 + 2 * index], network.VENUES[slug][1],
                                       [trainer, people[network.MASTERCLASS_TRAINER]], now=now, capacity=40)
            session.open_to = Session.OpenTo.NETWORK
            if course.title == reserved_title:
                until = working_days_before(session.starts_at.astimezone(LONDON).date(), 10)
                session.reserved_until = datetime.combine(until, time(17, 0), tzinfo=LONDON)
                SessionReservation.objects.create(session=session, partnership=partnerships[reserved_for],
                                                  places=reserved_places)
            session.save(update_fields=["open_to", "reserved_until"])


def _network_session(course: Course, day: date, venue: tuple, trainers: list, *, now: datetime,
                     capacity: int = 25) -> Session:
    """A session of `course` on `day`: online at lunchtime when it is two hours or less, else at `venue`."""
    minutes = course.duration_minutes
    if minutes <= 120:
        start = datetime.combine(day, time(12, 30), tzinfo=LONDON)
        kwargs = {"format": "online", "online_url": f"https://teams.microsoft.com/l/meetup-join/demo-{course.pk}"
                                                    f"-{day:%Y%m%d}"}
        capacity, minutes = 40, max(minutes, 60)
    else:
        place, start_time = venue
        start = datetime.combine(day, start_time, tzinfo=LONDON)
        kwargs = {"format": "in_person", "venue": place}
    return services.schedule_session(course, capacity=capacity, parts=[services.Part(start, start + timedelta(
        minutes=minutes))], trainers=trainers, now=now, **kwargs)
