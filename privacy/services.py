"""UK GDPR: a person's own data as a download, and anonymising people long inactive.

Anonymising keeps every statistic the reports need (bookings, outcomes, agencies, ratings,
charges) and removes what identifies the person (name, email, job title, free text).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from bookings.models import Booking
from certificates.models import Evaluation
from notifications.models import Message
from people.models import Person
from people.partnerships import is_network
from people.selectors import home_partnership_of, role_grants_of
from resources.models import WorkedThrough


def export_personal_data(person: Person) -> dict:
    """Everything the hub holds about a person, as plain JSON-able values."""
    bookings = Booking.objects.filter(person=person).select_related("session__course").order_by("booked_at")
    return {
        "person": _person(person),
        "bookings": [_booking(b) for b in bookings],
        "resources_opened": [
            {"resource": o.resource.title, "at": o.opened_at.isoformat()}
            for o in person.openings.select_related("resource")
        ],
        "resources_worked_through": [
            {"resource": w.resource.title, "reflection": w.reflection, "at": w.at.isoformat()}
            for w in person.worked_through.select_related("resource")
        ],
        "emails_sent_to_you": [
            {"subject": m.subject, "sent_at": m.sent_at.isoformat() if m.sent_at else None}
            for m in Message.objects.filter(to__iexact=person.email).order_by("created_at")
        ],
    }


def _person(person: Person) -> dict:
    return {
        "name": person.name,
        "email": person.email,
        "job_title": person.job_title,
        "agency": person.agency.name if person.agency else None,
        "joined": person.date_joined.isoformat(),
        "last_login": person.last_login.isoformat() if person.last_login else None,
        "briefings_opt_in": person.briefings_opt_in,
        "calendar_invites": person.calendar_invites,
        "roles": sorted(person.groups.values_list("name", flat=True)),
        **_partnerships(person),
    }


def _partnerships(person: Person) -> dict:
    """On a hub of several partnerships: the person's home partnership and where each role is held."""
    if not is_network():
        return {}
    return {"home_partnership": home_partnership_of(person).name, "role_grants": role_grants_of(person)}


def _booking(b: Booking) -> dict:
    """One booking, with its evaluation, certificate and any charge to the person's agency."""
    entry = {
        "course": b.session.course.title,
        "session_starts": b.session.starts_at.isoformat(),
        "status": b.status,
        "booked_at": b.booked_at.isoformat(),
        "line_manager_email": b.line_manager_email or None,
        "adjustments": b.adjustments or None,
    }
    evaluation = getattr(b, "evaluation", None)
    if evaluation:
        entry["evaluation"] = {
            "confidence_before": evaluation.confidence_before,
            "confidence_after": evaluation.confidence_after,
            "learning": evaluation.learning,
            "impact_statement": evaluation.impact_statement,
            "follow_up_answer": evaluation.follow_up_answer,
        }
    certificate = getattr(b, "certificate", None)
    if certificate:
        entry["certificate"] = {"code": certificate.code, "revoked": certificate.revoked}
    charge = getattr(b, "charge", None)
    if charge:
        entry["charge_to_your_agency"] = {
            "reason": charge.reason,
            "amount_pence": charge.amount_pence,
            "status": charge.status,
        }
    return entry


def inactive_people(*, now: datetime | None = None, years: int | None = None):
    """People with no sign-in and no booking activity for the retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=365 * (years if years is not None else settings.RETENTION_YEARS))
    return (
        Person.objects.filter(is_superuser=False)
        .exclude(email__endswith="@anonymised.invalid")
        .annotate(last_booking=Max("bookings__booked_at"))
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True), date_joined__lt=cutoff)
        .filter(Q(last_booking__lt=cutoff) | Q(last_booking__isnull=True))
    )


@transaction.atomic
def anonymise(person: Person) -> None:
    from allauth.account.models import EmailAddress


    person.name = f"Former member {person.pk}"
    person.email = f"person-{person.pk}@anonymised.invalid"
    person.job_title = ""
    person.password = make_password(None)
    person.is_active = False
    person.briefings_opt_in = False
    person.save()
    person.groups.clear()
    EmailAddress.objects.filter(user=person).delete()
    person.bookings.update(line_manager_email="", adjustments="")
    Evaluation.objects.filter(booking__person=person).update(learning="", impact_statement="", follow_up_answer="")
    WorkedThrough.objects.filter(person=person).update(reflection="")


def anonymise_inactive(*, now: datetime | None = None, years: int | None = None) -> int:
    count = 0
    for person in inactive_people(now=now, years=years):
        anonymise(person)
        count += 1
    return count


def erase_adjustments(*, now: datetime | None = None) -> int:
    """What people asked for to take part can be about their health: it is kept only while it can still be
    used. Erased once the session is over, or as soon as the booking has ended (cancelled, handed over)."""

    now = now or timezone.now()
    return (  # a cancelled session ends its bookings, so "no longer live" covers it
        Booking.objects.exclude(adjustments="")
        .filter(Q(session__ends_at__lte=now) | ~Q(status__in=Booking.LIVE))
        .update(adjustments="")
    )
