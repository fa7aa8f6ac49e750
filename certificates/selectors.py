"""Reads: the learning record, completions for agency managers, evaluation results for the business unit."""

from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from bookings.models import Booking
from certificates.models import Evaluation, hours_text
from certificates.services import (
    DEFAULT_EVALUATE_WITHIN_DAYS,
    evaluate_by,
    evaluate_within_days_of_each,
    evaluating_statuses,
    settings_for_each_session,
    why_not_evaluable,
)
from lib.dates import start_of_day, to_london
from people.partnerships import is_network, named_with_partnership
from resources.models import WorkedThrough


def with_next_steps(bookings) -> list:
    """Marks each booking with what its person can do next: `certificate_code` (a live certificate to
    download) or `evaluation_due` (evaluate to earn one: the hub closed its register, and they were asked).
    Select `certificate`, `evaluation` and `session__register` with them."""
    bookings = list(bookings)
    rules = settings_for_each_session() if bookings else None  # each session's delivering partnership's
    for b in bookings:
        statuses = evaluating_statuses(rules=rules(b.session))
        certificate = getattr(b, "certificate", None)
        register = getattr(b.session, "register", None)
        b.certificate_code = certificate.code if certificate and not certificate.revoked else ""
        b.evaluation_due = not b.certificate_code and why_not_evaluable(
            b, register_closed=register is not None and register.closed, statuses=statuses) is None
    return bookings


def learning_record(person) -> list[dict]:
    bookings = (
        Booking.objects.came().filter(person=person)
        .select_related("session__course", "session__register", "certificate", "evaluation")
        .prefetch_related("session__parts")
        .order_by("-session__starts_at")
    )
    rows = []
    for b in with_next_steps(bookings):
        certificate = getattr(b, "certificate", None)
        rows.append(
            {
                "booking": b,
                "date": f"{to_london(b.session.starts_at):%-d %b %Y}",
                "course": b.session.course.title,
                "level": b.session.course.get_level_display(),
                "hours": hours_text(b.session.total_minutes),
                "outcome": b.get_status_display(),
                "certificate": b.certificate_code,
                "evaluated": hasattr(b, "evaluation"),
                "expires_on": certificate.expires_on if certificate else None,
            }
        )
    return rows


def worked_through(person):
    return WorkedThrough.objects.filter(person=person).select_related("resource").order_by("-at")


EVALUATION_STATES = {"done": "Done", "asked": "Asked", "overdue": "Overdue", "not_asked": "Not asked"}
def completions(agency, *, start: date | None = None, end: date | None = None,
                now: datetime | None = None, days: int | dict[int, int] | None = None) -> list[dict]:
    """The agency's staff, course by course: who attended (between `start` and `end`, London dates,
    either optional), who holds a current certificate, and each evaluation's state: done; asked (the
    register closed, and the day to evaluate by, which the email gave, has not passed); overdue (that
    day has passed and none came); or not asked (no register closed on the hub: imported history)."""
    today = to_london(now or timezone.now()).date()
    # `days`: one number for every row, or each partnership's (evaluate_within_days_of_each()), read already; else
    # each session's delivering partnership's, read here
    if days is None:
        days = evaluate_within_days_of_each()
    bookings = (
        Booking.objects.came().filter(person__agency=agency)
        .select_related("person", "session__course", "session__register", "certificate", "evaluation")
        .order_by("session__course__title", "person__name", "session__starts_at")
    )
    if start:
        bookings = bookings.filter(session__starts_at__gte=start_of_day(start))
    if end:
        bookings = bookings.filter(session__starts_at__lt=start_of_day(end + timedelta(days=1)))
    rows = []
    for b in bookings:
        certificate = getattr(b, "certificate", None)
        current = certificate is not None and not certificate.revoked
        register = getattr(b.session, "register", None)
        due = None
        if hasattr(b, "evaluation"):
            evaluation = "done"
        elif register is not None and register.closed_at is not None:
            within_days = days if isinstance(days, int) else days.get(b.session.course.partnership_id,
                                                                       DEFAULT_EVALUATE_WITHIN_DAYS)
            due = evaluate_by(register.closed_at, within_days)
            evaluation = "overdue" if today > due else "asked"
        else:
            evaluation = "not_asked"
        rows.append(
            {
                "course": b.session.course.title,
                "level": b.session.course.get_level_display(),
                "person": b.person.name,
                "email": b.person.email,
                "date": b.session.starts_at,
                "outcome": b.get_status_display(),
                "certificate": current,
                "expires_on": certificate.expires_on if current else None,
                "evaluation": evaluation,
                "evaluation_label": EVALUATION_STATES[evaluation],
                "evaluate_by": due,
            }
        )
    return rows


def evaluation_results(*, search: str = "", bookings: Q | None = None, evaluations: Q | None = None):
    """Per course: people who attended, responses, response rate, mean confidence before and after.

    `bookings` and `evaluations` (the same condition, on bookings and through evaluations' bookings) limit both
    to the reader's partnerships on a network hub."""
    attended = (
        Booking.objects.came().filter(bookings or Q())
        .values("session__course_id", "session__course__title", "session__course__partnership__name")
        .annotate(
            attended=Count("pk"),
            responses=Count("evaluation"),
            before=Avg("evaluation__confidence_before"),
            after=Avg("evaluation__confidence_after"),
        )
        .order_by("session__course__title", "session__course_id")
    )
    network = is_network()  # two partnerships may each run a course of the same title: name the one delivering it
    results = []
    for row in attended:
        before, after = row["before"], row["after"]
        results.append(
            {
                "course": named_with_partnership(row["session__course__title"],
                                                 row["session__course__partnership__name"], network=network),
                "attended": row["attended"],
                "responses": row["responses"],
                "rate": row["responses"] / row["attended"] if row["attended"] else 0,
                "before": before,
                "after": after,
                "change": (after - before) if before is not None and after is not None else None,
            }
        )
    statements = Evaluation.objects.filter(evaluations or Q()).select_related(
        "booking__person__agency", "booking__session__course__partnership")
    if search:
        statements = statements.filter(
            Q(impact_statement__icontains=search)
            | Q(learning__icontains=search)
            | Q(booking__session__course__title__icontains=search)
        )
    return results, statements.order_by("-submitted_at")[:200]


def evaluations_due(person) -> list[Booking]:
    """The person's closed sessions still waiting for their evaluation (and so their certificate)."""
    if not getattr(person, "is_authenticated", False):
        return []
    bookings = (
        Booking.objects.came().filter(person=person, evaluation__isnull=True,
                               session__register__closed_at__isnull=False)
        .select_related("session__course", "session__register", "certificate", "evaluation")
        .order_by("session__starts_at")
    )
    return [b for b in with_next_steps(bookings) if b.evaluation_due]
