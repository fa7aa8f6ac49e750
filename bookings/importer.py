"""History from the previous booking system: `python manage.py import_history FILE.csv`.

Header: email,name,agency_code,course_title,level,session_start,session_end,outcome,booked_at, and optionally a
`partnership` column (anywhere): the slug of the partnership whose booking system the row comes from, which
delivered the course (empty or left out: the first partnership); a row's course is that partnership's course of
that title (in any capitals), so two partnerships may each have a course of the same title. Every row is checked
first and each bad one reported by its line number; then everything is written in one transaction, or nothing is.
Running the same file again adds nothing.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify

from bookings.models import Booking
from bookings.transitions import HISTORY, TRANSITIONS
from courses.models import Course, Session, SessionPart
from lib.dates import read_datetime
from lib.text import CONTROL, check_name, has_unreadable
from people.models import Agency, Partnership, Person
from people.partnerships import default_partnership
from people.selectors import agency_partnerships
from people.services import join_partnership

HEADER = ["email", "name", "agency_code", "course_title", "level", "session_start", "session_end", "outcome",
          "booked_at"]
OPTIONAL = "partnership"  # a network's history says whose booking system each row comes from


@dataclass
class Row:
    line: int
    email: str
    name: str
    agency_code: str
    course_title: str
    level: str
    starts_at: datetime
    ends_at: datetime
    outcome: str
    booked_at: datetime
    partnership: Partnership
    first_partnership: bool  # the first partnership: a hub of one's, and history's that names none


@dataclass
class ImportResult:
    rows: int = 0
    bookings_created: int = 0
    already_there: int = 0
    created: dict = field(default_factory=lambda: {"people": 0, "agencies": 0, "courses": 0, "sessions": 0})


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class BadField(ValueError):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def _time(value: str, name: str) -> datetime:
    parsed = read_datetime(value.strip()) if value else None
    if parsed is None:
        raise BadField(name, f"{name} {value[:40]!r} is not an ISO 8601 time")
    if parsed.tzinfo is None:
        raise BadField(name, f"{name} {value!r} has no offset (write it like 2024-05-14T09:30:00+01:00)")
    return parsed


# The longest value each column may hold: what the hub stores, never cut short.
MAX_LENGTH = {"email": 254, "name": 150, "agency_code": 40, "course_title": 200, "level": 20, "session_start": 40,
              "session_end": 40, "outcome": 20, "booked_at": 40, OPTIONAL: 40}


def _where(line: int, column: str, columns: list[str]) -> str:
    return f"line {line}, column {columns.index(column) + 1} ({column})"


def _check_row(data: dict) -> None:
    for column in [*HEADER, OPTIONAL]:
        value = data[column]
        if has_unreadable(value) or (column != "name" and CONTROL.search(value)):
            raise BadField(column, f"{column} holds a control character")
        if len(value) > MAX_LENGTH[column]:
            raise BadField(column, f"{column} is {len(value):,} characters long: the most is {MAX_LENGTH[column]}")
    problem = check_name(data["name"], label="name") if data["name"] else None
    if problem:
        raise BadField("name", problem)
    try:
        validate_email(data["email"])
    except ValidationError as exc:
        raise BadField("email", exc.messages[0]) from None
    if not data["course_title"]:
        raise BadField("course_title", "course_title is empty")
    if data["level"] not in Course.Level.values:
        raise BadField("level", f"level {data['level']!r} is not basic, intermediate or masterclass")
    if data["outcome"] not in TRANSITIONS[HISTORY]:
        raise BadField("outcome", f"outcome {data['outcome']!r} is not one of {', '.join(Booking.Status.values)}")
    if not slugify(data["agency_code"]):
        raise BadField("agency_code", "agency_code is empty")


def parse(text: str) -> list[Row]:
    """Every row checked; a bad one is reported by its line and column, and then nothing is imported."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ImportFailed([f"line 1: {exc}"]) from None
    columns = [h.strip() for h in fieldnames or []]
    if [h for h in columns if h != OPTIONAL] != HEADER or columns.count(OPTIONAL) > 1:
        raise ImportFailed([f"line 1: the header must be {','.join(HEADER)} (and, if you like, {OPTIONAL})"])
    partnerships = {p.slug: p for p in Partnership.objects.all()}
    first = default_partnership()
    rows, errors = [], []
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a field past the csv module's limit, a stray quote: the file cannot go on
            errors.append(f"line {reader.line_num + 1}: {exc}")
            break
        number = reader.line_num
        data = {OPTIONAL: ""} | {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        try:
            _check_row(data)
            starts, ends = _time(data["session_start"], "session_start"), _time(data["session_end"], "session_end")
            if ends <= starts:
                raise BadField("session_end", "session_end is not after session_start")
            partnership = _partnership(data[OPTIONAL], partnerships, first)
            rows.append(Row(number, data["email"].lower(), data["name"], slugify(data["agency_code"]),
                            data["course_title"], data["level"], starts, ends, data["outcome"],
                            _time(data["booked_at"], "booked_at"), partnership, partnership.pk == first.pk))
        except BadField as exc:  # every reason a row is bad, reported with its line and column
            errors.append(f"{_where(number, exc.column, columns)}: {exc}")
    if errors:
        raise ImportFailed(errors)
    return rows


def _partnership(slug: str, partnerships: dict, first: Partnership) -> Partnership:
    if not slug:
        return first
    if slug not in partnerships:
        raise BadField(OPTIONAL, f"partnership {slug!r} is not a partnership on the hub: choose one of "
                                 f"{', '.join(partnerships)}, add it with manage.py add_partnership, or leave it "
                                 f"empty for {first.slug}")
    return partnerships[slug]


def _session(row: Row, course: Course, result: ImportResult, sessions: dict) -> Session:
    key = (course.pk, row.starts_at)
    if key not in sessions:
        session = Session.objects.filter(course=course, starts_at=row.starts_at).first()
        if session is None:
            session = Session.objects.create(
                course=course, capacity=1, venue="Imported from the previous booking system",
                booking_opens_at=min(row.booked_at, row.starts_at), booking_closes_at=row.starts_at,
                starts_at=row.starts_at, ends_at=row.ends_at,
            )
            SessionPart.objects.create(session=session, starts_at=row.starts_at, ends_at=row.ends_at)
            result.created["sessions"] += 1
        sessions[key] = session
    return sessions[key]


@transaction.atomic
def import_history(text: str) -> ImportResult:
    """Load the previous system's rows, all or nothing. A row already on the hub (same session,
    person and booking time) is counted and skipped, so the same file can be loaded twice."""
    rows = parse(text)
    result = ImportResult(rows=len(rows))
    agencies, people, courses, sessions = {}, {}, {}, {}
    joined: set[tuple] = set()  # (agency, partnership) pairs seen
    known: set[tuple] = set()  # (session, person, booked_at) already there, or added by this file
    known_for: set[int] = set()  # sessions whose bookings are in `known`
    new: list[Booking] = []
    for row in rows:
        agency = _agency(row, result, agencies, joined)
        person = _person(row, agency, result, people)
        session = _session(row, _course(row, result, courses), result, sessions)
        if session.pk not in known_for:  # one query a session, not one a row
            known |= set(Booking.objects.filter(session=session).values_list("session_id", "person_id", "booked_at"))
            known_for.add(session.pk)
        key = (session.pk, person.pk, row.booked_at)
        if key in known:
            result.already_there += 1
            continue
        known.add(key)
        # the outcome is one an imported booking may hold (TRANSITIONS[HISTORY], checked by parse)
        new.append(Booking(session=session, person=person, status=row.outcome, booked_at=row.booked_at,
                           cancelled_at=row.booked_at if row.outcome in Booking.ENDED else None))
    Booking.objects.bulk_create(new, batch_size=500)
    result.bookings_created = len(new)
    _make_room(sessions.values())
    return result


def _agency(row: Row, result: ImportResult, agencies: dict, joined: set) -> Agency:
    """The row's agency, made when missing; it works with the row's partnership, whose training its staff booked."""
    if row.agency_code not in agencies:
        agencies[row.agency_code], made = Agency.objects.get_or_create(
            code=row.agency_code, defaults={"name": row.agency_code})
        result.created["agencies"] += made
        if made:
            agencies[row.agency_code].partnerships.add(row.partnership)
            joined.add((row.agency_code, row.partnership.pk))
    agency = agencies[row.agency_code]
    if (row.agency_code, row.partnership.pk) not in joined:
        joined.add((row.agency_code, row.partnership.pk))
        if row.partnership.pk not in {p.pk for p in agency_partnerships(agency)}:
            join_partnership(agency, row.partnership)
    return agency


def _person(row: Row, agency: Agency, result: ImportResult, people: dict) -> Person:
    if row.email not in people:
        person = Person.objects.filter(email__iexact=row.email).first()
        if person is None:
            # at home in the partnership they booked with (empty for the first, as on a hub of one)
            person = Person(email=row.email, name=row.name or row.email.split("@")[0], agency=agency,
                            home_partnership=None if row.first_partnership else row.partnership)
            person.set_unusable_password()  # they set one through "forgotten password"
            person.save()
            result.created["people"] += 1
        people[row.email] = person
    return people[row.email]


def _course(row: Row, result: ImportResult, courses: dict) -> Course:
    """The delivering partnership's course of that title, made when it has none."""
    key = (row.partnership.pk, row.course_title.lower())
    if key not in courses:
        course = Course.objects.filter(partnership=row.partnership, title__iexact=row.course_title).first()
        if course is None:
            minutes = max(1, int((row.ends_at - row.starts_at).total_seconds() // 60))
            course = Course.objects.create(title=row.course_title, level=row.level, theme="Imported",
                                           summary="Imported from the previous booking system.",
                                           duration_minutes=minutes, is_active=False, partnership=row.partnership)
            result.created["courses"] += 1
        courses[key] = course
    return courses[key]


def _make_room(sessions) -> None:
    """A session's capacity holds everyone the old system placed on it."""
    held = dict(
        Booking.objects.filter(session__in=[s.pk for s in sessions])
        .exclude(status__in=[*Booking.ENDED, *Booking.WAITING])
        .values("session").annotate(n=Count("pk")).values_list("session", "n")
    )
    for session in sessions:
        if held.get(session.pk, 0) > session.capacity:
            Session.objects.filter(pk=session.pk).update(capacity=held[session.pk])
