"""The register: marks, walk-ins, the Teams report, closing, and corrections afterwards."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from attendance.models import OUTCOMES, REASON_MAX, Correction, Mark, Register
from attendance.selectors import open_registers, register_opens_at
from bookings.models import Booking
from bookings.services.register import LATE_MINUTES, confirm_walk_in, correct_outcome, record_outcomes
from certificates.services import marks_changed, request_evaluations
from charging.services import raise_charge, raise_charges_for, void_charge_for_booking
from lib.dates import to_london
from lib.errors import Conflict, Invalid, NotAllowed
from lib.text import has_unreadable, is_email_address, within
from notifications.services import queue_email
from people.models import Person
from people.permissions import may


def register_for(session) -> Register:
    register, _ = Register.objects.get_or_create(session=session)
    return register


def register_rows(session):
    """One row per confirmed booking (and, once closed, per booking the register settled)."""
    return (
        session.bookings.on_register()
        .select_related("person__agency", "mark")
        .order_by("person__name", "pk")
    )


def unmarked(session):
    """Confirmed places on an open register with no mark yet: closing makes them no-shows."""
    return session.bookings.confirmed().filter(mark__isnull=True).select_related("person__agency")


def _open_register(session, *, now: datetime) -> Register:
    register = Register.objects.select_for_update(of=("self",)).get(pk=register_for(session).pk)
    if register.closed:
        raise Conflict("The register is closed: only the business unit can correct a mark, with a reason.")
    if now < register_opens_at(session):
        raise Conflict(f"The register opens on the day of the session, {to_london(session.starts_at):%-d %B %Y}.")
    return register


@transaction.atomic
def mark(session, marks: list[tuple[int, str]], *, by, now: datetime | None = None) -> int:
    """Record marks [(booking id, outcome)] on an open register. Raises Invalid or Conflict, changing nothing."""
    now = now or timezone.now()
    _open_register(session, now=now)
    bookings = {b.pk: b for b in session.bookings.confirmed().filter(pk__in=[m[0] for m in marks])}
    for booking_id, outcome in marks:
        if outcome not in OUTCOMES:
            raise Invalid(f"Unknown outcome {outcome!r}: choose attended, partial or no_show.", field="marks")
        if booking_id not in bookings:
            raise Invalid(f"Booking {booking_id} is not a confirmed place on this session.", field="marks")
    for booking_id, outcome in marks:
        Mark.objects.update_or_create(
            booking=bookings[booking_id], defaults={"outcome": outcome, "marked_by": by, "marked_at": now}
        )
    return len(marks)


def mark_all_attended(session, *, by, now: datetime | None = None) -> int:
    ids = list(session.bookings.confirmed().values_list("pk", flat=True))
    return mark(session, [(pk, "attended") for pk in ids], by=by, now=now)


@transaction.atomic
def add_walk_in(session, *, email: str, by, now: datetime | None = None) -> Booking:
    """Someone came who was not booked here: give them a place on the register, marked attended."""
    now = now or timezone.now()
    _open_register(session, now=now)
    email = (email or "").strip()
    if not is_email_address(email):
        raise Invalid("Enter the person's email address, like name@agency.gov.uk.", field="email")
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        raise Invalid(
            f"Nobody with the email {email or '(blank)'} has an account: they can sign up, or the "
            "business unit can add them.",
            field="email",
        )
    booking = confirm_walk_in(session, person, now=now)
    Mark.objects.create(booking=booking, outcome="attended", walk_in=True, marked_by=by, marked_at=now)
    return booking


@transaction.atomic
def close_register(session, *, by, now: datetime | None = None) -> Register:
    """Lock the register: marks become the bookings' outcomes, unmarked places are no-shows,
    and the charging policy raises a charge for each no-show."""

    now = now or timezone.now()
    register = _open_register(session, now=now)
    if session.starts_at > now:
        raise Conflict("The session has not started yet, so its register cannot be closed.")
    record_outcomes(session, dict(Mark.objects.filter(booking__session=session).values_list("booking_id", "outcome")))
    register.closed_at = now
    register.closed_by = by
    register.save()
    raise_charges_for(session, now=now)
    request_evaluations(session, closed_at=now)
    return register


@transaction.atomic
def correct_mark(booking: Booking, *, outcome: str, reason: str, by) -> Booking:
    """After the close, the business unit changes a mark; the reason is kept and charges follow.

    Raises NotAllowed unless `by` may correct marks; Invalid or Conflict, changing nothing."""

    if not may(by, "correct_marks", booking):
        raise NotAllowed("Only the business unit of the session's partnership can correct a mark after the register "
                         "is closed.")
    if outcome not in OUTCOMES:
        raise Invalid(f"Unknown outcome {outcome!r}: choose attended, partial or no_show.", field="outcome")
    if not (reason or "").strip():
        raise Invalid("Give the reason for the correction: it is kept.", field="reason")
    within(reason.strip(), REASON_MAX, label="The reason", field="reason")
    register = register_for(booking.session)
    if not register.closed:
        raise Conflict("The register is still open: change the mark on the register itself.")
    booking, before = correct_outcome(booking, outcome)
    Mark.objects.update_or_create(booking=booking, defaults={"outcome": outcome, "marked_by": by})
    Correction.objects.create(
        booking=booking, from_outcome=before, to_outcome=outcome, reason=reason.strip(), corrected_by=by
    )
    if outcome == Booking.Status.NO_SHOW:
        raise_charge(booking, "no_show")
    elif before == Booking.Status.NO_SHOW:
        void_charge_for_booking(booking, by=by, reason=f"Mark corrected to {outcome}: {reason.strip()}")
    marks_changed(booking, by=by, reason=f"Mark corrected to {outcome}: {reason.strip()}")
    return booking


# --- The Microsoft Teams attendance report ------------------------------------------------------------


@dataclass
class TeamsRow:
    name: str
    email: str
    minutes: int | None


@dataclass
class TeamsResult:
    marked: list[tuple[Booking, str]]
    unmatched: list[TeamsRow]


TEAMS_REPORT_MAX_BYTES = 2 * 1024 * 1024  # settings.UPLOAD_MAX_BYTES: a report of some 20,000 people
TEAMS_FIELD_MAX = 2000  # characters in one cell of the report: names and emails are far shorter


def _decode(raw: bytes) -> str:
    """The report's text: UTF-16 (Teams' own download, with its byte order mark) or UTF-8. Anything that
    is not text in either is refused with a message, never a crash and never a guess."""
    if len(raw) > TEAMS_REPORT_MAX_BYTES:
        raise Invalid(f"The report is {len(raw) / 1024 / 1024:.1f} MB: upload one of 2 MB or less "
                      "(download the report of this one session from Teams).", field="report")
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(f"The report cannot be read as {'UTF-16' if utf16 else 'UTF-8'} text (at byte {exc.start}): "
                      "upload the CSV file as Teams downloaded it.", field="report") from None
    if has_unreadable(text):
        raise Invalid("The report holds characters no one can type (NUL): upload the CSV file as Teams "
                      "downloaded it.", field="report")
    return text


def _minutes(text: str) -> int | None:
    """Teams durations look like '1h 5m 3s' or '45m 10s'."""
    parts = dict((unit, int(n)) for n, unit in re.findall(r"(\d+)\s*([hms])", text or ""))
    if not parts:
        return None
    return parts.get("h", 0) * 60 + parts.get("m", 0)


def _is_participants_header(line: str) -> bool:
    lowered = line.lower()
    return "email" in lowered and "name" in lowered and ("duration" in lowered or "join" in lowered)


def parse_teams_report(raw: bytes) -> list[TeamsRow]:
    """The participants of a Teams attendance report (its CSV export: tab or comma separated)."""
    text = _decode(raw)
    lines = text.splitlines()
    index = next((i for i, line in enumerate(lines) if _is_participants_header(line)), None)
    if index is None:
        raise Invalid(
            "This does not look like a Teams attendance report: no participants table with names and emails was found.",
            field="file",
        )
    body = []
    for line in lines[index:]:
        if not line.strip():
            break
        body.append(line)
    delimiter = "\t" if "\t" in body[0] else ","
    reader = csv.DictReader(io.StringIO("\n".join(body)), delimiter=delimiter)
    found = []
    try:
        rows = list(reader)
    except csv.Error as exc:  # a field past the csv module's own limit, a stray quote
        line = index + reader.line_num + 1
        raise Invalid(f"Line {line} of the report cannot be read: {exc}.", field="report") from None
    for number, row in enumerate(rows, start=index + 2):
        if any(len(value) > TEAMS_FIELD_MAX for value in [*row.values(), *row.get(None, [])]
               if isinstance(value, str)):
            raise Invalid(f"Line {number} of the report has a value longer than {TEAMS_FIELD_MAX:,} characters: "
                          "this is not a Teams attendance report.", field="report")
        keys = {k.strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(k, str) and k}
        email = keys.get("email") or keys.get("participant id (upn)", "")
        name = keys.get("name") or keys.get("full name", "")
        duration = keys.get("in-meeting duration") or keys.get("duration", "")
        if email or name:
            found.append(TeamsRow(name=name, email=email.lower(), minutes=_minutes(duration)))
    return found


def apply_teams_report(session, raw: bytes, *, by, now: datetime | None = None) -> TeamsResult:
    """Pre-fill marks from the report, matched by email: present for the session less LATE_MINUTES
    is attended, any less is partial; people the report names but the register lacks are listed."""
    rows = parse_teams_report(raw)
    by_email = {b.person.email.lower(): b for b in register_rows(session).confirmed()}
    length = session.total_minutes
    marks, marked, unmatched = [], [], []
    for row in rows:
        booking = by_email.get(row.email)
        if booking is None:
            unmatched.append(row)
            continue
        outcome = "attended" if row.minutes is None or row.minutes >= length - LATE_MINUTES else "partial"
        marks.append((booking.pk, outcome))
        marked.append((booking, outcome))
    if marks:
        mark(session, marks, by=by, now=now)
    return TeamsResult(marked=marked, unmatched=unmatched)


REMIND_AFTER = timedelta(days=1)  # a register still open a day after the session ended
REMIND_WITHIN = timedelta(days=14)  # ... but not for sessions long past (history, or before this rule)


def remind_open_registers(*, now: datetime | None = None) -> int:
    """Email the trainers of each session that ended a day ago with its register still open, once:
    until it closes, nobody is charged, asked to evaluate or given a certificate. Returns how many."""

    now = now or timezone.now()
    sessions = (open_registers(ended_before=now - REMIND_AFTER).filter(ends_at__gt=now - REMIND_WITHIN)
                .exclude(register__reminded_at__isnull=False))
    reminded = 0
    for session in sessions:
        with transaction.atomic():
            register = register_for(session)
            if Register.objects.filter(pk=register.pk, reminded_at=None, closed_at=None).update(reminded_at=now) != 1:
                continue  # another run claimed it, or it closed meanwhile
            not_marked = unmarked(session).count()
            for allocation in session.allocations.select_related("person"):
                queue_email(
                    to=allocation.person.email, kind="register_open", template="attendance/email/register_open",
                    subject=f"Please close the register for {session.course.title}",
                    context={"name": allocation.person.name, "course": session.course.title,
                             "starts_at": session.starts_at, "unmarked": not_marked,
                             "path": f"/sessions/{session.pk}/register/"},
                )
            reminded += 1
    return reminded
