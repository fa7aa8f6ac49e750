"""Evaluations, impact statements, certificates, follow-ups and refreshers."""

import calendar
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bookings.models import Booking
from bookings.services.notices import tell
from certificates.models import ANSWER_MAX, Certificate, Evaluation, EvaluationSettings
from courses.models import Session
from lib.dates import to_london
from lib.errors import Conflict, Invalid, NotAllowed
from lib.text import within
from people.models import Partnership, default_partnership_pk
from people.partnerships import settings_of, settings_of_each
from people.permissions import may


def evaluation_settings(partnership=None) -> EvaluationSettings:
    """A partnership's evaluation settings (a Partnership or its pk; by default the first partnership's, the only
    one on a hub of one), made with the defaults when it has none yet. A session follows its delivering
    partnership's (its course's): see settings_for_session."""
    return settings_of(EvaluationSettings, partnership)


def settings_for_session(session) -> EvaluationSettings:
    """The evaluation settings a session is evaluated under: its delivering partnership's (its course's)."""
    return evaluation_settings(session.course.partnership_id)


def settings_for_each_session():
    """Every partnership's evaluation settings in one query, as a function from a session to its delivering
    partnership's settings: for reads over many partnerships' bookings at once."""
    of = settings_of_each(EvaluationSettings)
    return lambda session: of(session.course.partnership_id)


def _register_closed(booking: Booking) -> bool:
    """Whether the booking's session has a closed register (read through the session, so that certificates,
    which attendance calls when a register closes, need not import attendance)."""
    return Session.objects.filter(pk=booking.session_id, register__closed_at__isnull=False).exists()


def evaluating_statuses(session=None, *, rules: EvaluationSettings | None = None) -> list[str]:
    """The outcomes whose people are asked to evaluate a session (and so may earn a certificate), by its delivering
    partnership's settings (`rules`, when read already; with neither, the first partnership's)."""
    S = Booking.Status
    if rules is None:
        rules = settings_for_session(session) if session is not None else evaluation_settings()
    return [S.ATTENDED, S.PARTIAL] if rules.partial_may_evaluate else [S.ATTENDED]


def why_not_evaluable(booking: Booking, *, register_closed: bool, statuses: list[str] | None = None) -> str | None:
    """Why the booking's person cannot evaluate it now (register still open, did not attend, already
    evaluated), or None when they can. The same words go in the 409; pages ask it whether to offer
    "Evaluate". Give `statuses` (evaluating_statuses()) when asking about many bookings at once."""
    if not register_closed:
        return "The register for this session has not been closed yet: evaluate once it has."
    if booking.status not in (statuses if statuses is not None else evaluating_statuses(booking.session)):
        return "Only people who attended can evaluate this session."
    if hasattr(booking, "evaluation"):
        return "You have already evaluated this session."
    return None


DEFAULT_EVALUATE_WITHIN_DAYS = 14  # EvaluationSettings.evaluate_within_days's default, before anyone sets it


def evaluate_within_days(partnership=None) -> int:
    """Days after the register closes that people have to evaluate (each partnership's business unit sets it; by
    default the first partnership's). Reads, never makes, the settings."""
    partnership_id = getattr(partnership, "pk", partnership) or default_partnership_pk()
    days = (EvaluationSettings.objects.filter(partnership_id=partnership_id)
            .values_list("evaluate_within_days", flat=True).first())
    return DEFAULT_EVALUATE_WITHIN_DAYS if days is None else days


def evaluate_within_days_of_each() -> dict[int, int]:
    """Every partnership's days to evaluate, by pk in the hub's order (the first is the default partnership), in one
    query: for pages over many partnerships' sessions."""
    rows = Partnership.objects.order_by("pk").values_list("pk", "evaluation_settings__evaluate_within_days")
    return {pk: DEFAULT_EVALUATE_WITHIN_DAYS if days is None else days for pk, days in rows}


def evaluate_by(closed_at: datetime, days: int | None = None, *, session=None) -> date:
    """The last London day to evaluate a session whose register closed at `closed_at`: `days` after it, or as many
    as the session's delivering partnership gives (with neither, the first partnership)."""
    if days is None:
        days = evaluate_within_days(session.course.partnership_id if session is not None else None)
    return to_london(closed_at).date() + timedelta(days=days)


def request_evaluations(session, *, closed_at: datetime) -> int:
    """At the register's close (`closed_at`): ask each person who attended for their evaluation and impact
    statement, by the day the business unit's evaluation settings give."""
    rules = settings_for_session(session)  # the delivering partnership's
    asked, statuses = 0, evaluating_statuses(rules=rules)
    evaluate_by_day = f"{evaluate_by(closed_at, rules.evaluate_within_days):%-d %B %Y}"  # the day the email gives
    bookings = session.bookings.filter(status__in=statuses).select_related("person", "session__course", "evaluation")
    for booking in bookings:
        if why_not_evaluable(booking, register_closed=True, statuses=statuses) is None:
            tell(booking, "evaluation_request", evaluate_by=evaluate_by_day)
            asked += 1
    return asked


def _rating(value, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise Invalid(f"{field.replace('_', ' ').capitalize()} must be a whole number from 1 to 5.", field=field)
    return value


def _answers(confidence_before, confidence_after, learning: str, impact_statement: str) -> dict:
    """An evaluation's answers, checked: two ratings from 1 to 5, what they learnt and their impact statement."""
    before, after = _rating(confidence_before, "confidence_before"), _rating(confidence_after, "confidence_after")
    learning, impact = (learning or "").strip(), (impact_statement or "").strip()
    if not learning:
        raise Invalid("Say what you learnt.", field="learning")
    if not impact:
        raise Invalid(
            "Write your impact statement: how the course will change your practice.", field="impact_statement"
        )
    return {"confidence_before": before, "confidence_after": after,
            "learning": within(learning, ANSWER_MAX, label="What you learnt", field="learning"),
            "impact_statement": within(impact, ANSWER_MAX, label="Your impact statement", field="impact_statement")}


@transaction.atomic
def submit_evaluation(
    booking: Booking,
    *,
    by,
    confidence_before,
    confidence_after,
    learning: str,
    impact_statement: str,
    now: datetime | None = None,
) -> Evaluation:
    """The person's evaluation, once, after the register closed and only if they attended.

    A certificate follows when they attended in full (or partly, where the course allows).
    Raises NotAllowed, Conflict or Invalid; nothing changes then.
    """
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("session__course", "person").get(pk=booking.pk)
    )
    if not may(by, "evaluate_booking", booking):
        raise NotAllowed("Only the person who attended can evaluate their session.")
    reason = why_not_evaluable(booking, register_closed=_register_closed(booking))
    if reason:
        raise Conflict(reason)
    evaluation = Evaluation.objects.create(
        booking=booking, submitted_at=now or timezone.now(),
        **_answers(confidence_before, confidence_after, learning, impact_statement),
    )
    if earns_certificate(booking):
        issue_certificate(booking, now=now)
    return evaluation


def earns_certificate(booking: Booking) -> bool:
    if booking.status == Booking.Status.ATTENDED:
        return True
    return booking.status == Booking.Status.PARTIAL and booking.session.course.certificate_for_partial


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def issue_certificate(booking: Booking, *, now: datetime | None = None) -> Certificate:
    """Issue (or re-issue after a revocation was corrected) the booking's certificate."""
    now = now or timezone.now()
    course = booking.session.course
    expires = _add_months(booking.session.starts_at.date(), course.refresh_months) if course.refresh_months else None
    certificate, created = Certificate.objects.get_or_create(
        booking=booking,
        defaults={"learning_minutes": booking.session.total_minutes, "issued_at": now, "expires_on": expires},
    )
    if not created and certificate.revoked:
        certificate.revoked_at = None
        certificate.revoked_reason = ""
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
    if created:
        tell(booking, "certificate_ready", code=certificate.code)
    return certificate


def marks_changed(booking: Booking, *, by, reason: str) -> None:
    """After a correction: a no-show loses the certificate; a corrected attendance earns it back."""
    certificate = Certificate.objects.filter(booking=booking).first()
    if booking.status == Booking.Status.NO_SHOW or not earns_certificate(booking):
        if certificate and not certificate.revoked:
            certificate.revoked_at = timezone.now()
            certificate.revoked_reason = reason
            certificate.revoked_by = by
            certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    elif hasattr(booking, "evaluation"):
        issue_certificate(booking)


def send_follow_ups(*, now: datetime | None = None) -> int:
    """Months after the course (3 by default; the delivering partnership's settings say), ask what changed in
    practice. Claimed once per evaluation."""
    now = now or timezone.now()
    rules = settings_for_each_session()
    due = Evaluation.objects.filter(follow_up_sent_at=None).select_related(
        "booking__session__course", "booking__person"
    )
    sent = 0
    for evaluation in due:
        months = rules(evaluation.booking.session).follow_up_months
        if now.date() < _add_months(evaluation.submitted_at.date(), months):
            continue
        with transaction.atomic():
            if Evaluation.objects.filter(pk=evaluation.pk, follow_up_sent_at=None).update(follow_up_sent_at=now) != 1:
                continue  # another run took it
            tell(evaluation.booking, "follow_up")
            sent += 1
    return sent


def answer_follow_up(evaluation: Evaluation, *, by, answer: str, now: datetime | None = None) -> Evaluation:
    if not may(by, "evaluate_booking", evaluation.booking):
        raise NotAllowed("Only the person who attended can answer this.")
    if not (answer or "").strip():
        raise Invalid("Say what has changed in your practice (or that nothing has).", field="answer")
    if evaluation.follow_up_answered_at:
        raise Conflict("You have already answered the follow-up.")
    evaluation.follow_up_answer = within(answer.strip(), ANSWER_MAX, label="Your answer", field="answer")
    evaluation.follow_up_answered_at = now or timezone.now()
    evaluation.save(update_fields=["follow_up_answer", "follow_up_answered_at"])
    return evaluation


def remind_refreshers(*, now: datetime | None = None) -> int:
    """Before a certificate lapses (60 days by default; the delivering partnership's settings say), remind its
    holder once."""
    now = now or timezone.now()
    rules = settings_for_each_session()
    longest = max([s.refresher_notice_days for s in EvaluationSettings.objects.all()]
                  + [EvaluationSettings._meta.get_field("refresher_notice_days").default])
    due = Certificate.objects.filter(
        revoked_at=None, reminded_at=None, expires_on__isnull=False,
        expires_on__lte=now.date() + timedelta(days=longest),
    ).select_related("booking__session__course", "booking__person")
    sent = 0
    for certificate in due:
        notice = rules(certificate.booking.session).refresher_notice_days
        if certificate.expires_on > now.date() + timedelta(days=notice):
            continue  # its partnership reminds nearer the day
        if Certificate.objects.filter(pk=certificate.pk, reminded_at=None).update(reminded_at=now) == 1:
            tell(certificate.booking, "refresher_due", expires_on=certificate.expires_on.isoformat())
            sent += 1
    return sent
