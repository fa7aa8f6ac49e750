"""Reads: the learning record, completions for agency managers, evaluation results for the business unit."""

from django.db.models import Avg, Count, Q

from bookings.models import Booking
from certificates.models import Evaluation
from lib.dates import to_london
from resources.models import WorkedThrough


def learning_record(person) -> list[dict]:
    bookings = (
        Booking.objects.filter(person=person, status__in=["attended", "partial"])
        .select_related("session__course", "certificate", "evaluation")
        .prefetch_related("session__parts")
        .order_by("-session__starts_at")
    )
    rows = []
    for b in bookings:
        certificate = getattr(b, "certificate", None)
        rows.append(
            {
                "booking": b,
                "date": f"{to_london(b.session.starts_at):%-d %b %Y}",
                "course": b.session.course.title,
                "level": b.session.course.get_level_display(),
                "hours": b.session.total_minutes / 60,
                "outcome": b.get_status_display(),
                "certificate": certificate.code if certificate and not certificate.revoked else "",
                "certificate_obj": certificate,
                "evaluated": hasattr(b, "evaluation"),
                "expires_on": certificate.expires_on if certificate else None,
            }
        )
    return rows


def worked_through(person):
    return WorkedThrough.objects.filter(person=person).select_related("resource").order_by("-at")


def completions(agency) -> list[dict]:
    """The agency's staff, course by course: who attended, who holds a current certificate, who owes an evaluation."""
    bookings = (
        Booking.objects.filter(person__agency=agency, status__in=["attended", "partial"])
        .select_related("person", "session__course", "certificate", "evaluation")
        .order_by("session__course__title", "person__name")
    )
    from attendance.models import Register

    closed = set(Register.objects.filter(closed_at__isnull=False).values_list("session_id", flat=True))
    rows = []
    for b in bookings:
        certificate = getattr(b, "certificate", None)
        rows.append(
            {
                "course": b.session.course.title,
                "level": b.session.course.get_level_display(),
                "person": b.person.name,
                "date": b.session.starts_at,
                "outcome": b.get_status_display(),
                "certificate": certificate and not certificate.revoked,
                "expires_on": certificate.expires_on if certificate else None,
                "evaluation_overdue": b.session_id in closed and not hasattr(b, "evaluation"),
            }
        )
    return rows


def evaluation_results(*, search: str = ""):
    """Per course: people who attended, responses, response rate, mean confidence before and after."""
    attended = (
        Booking.objects.filter(status__in=["attended", "partial"])
        .values("session__course_id", "session__course__title")
        .annotate(
            attended=Count("pk"),
            responses=Count("evaluation"),
            before=Avg("evaluation__confidence_before"),
            after=Avg("evaluation__confidence_after"),
        )
        .order_by("session__course__title")
    )
    results = []
    for row in attended:
        before, after = row["before"], row["after"]
        results.append(
            {
                "course": row["session__course__title"],
                "attended": row["attended"],
                "responses": row["responses"],
                "rate": row["responses"] / row["attended"] if row["attended"] else 0,
                "before": before,
                "after": after,
                "change": (after - before) if before is not None and after is not None else None,
            }
        )
    statements = Evaluation.objects.select_related("booking__person__agency", "booking__session__course")
    if search:
        statements = statements.filter(
            Q(impact_statement__icontains=search)
            | Q(learning__icontains=search)
            | Q(booking__session__course__title__icontains=search)
        )
    return results, statements.order_by("-submitted_at")[:200]
