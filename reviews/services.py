"""Writing learning reviews, recommendations and evidence: every rule once, every change kept.

Callers: the business unit's pages, the API, the admin and the weekly task. Each service owns its
transaction and raises Invalid (400), NotAllowed (403) or Conflict (409) with words a person can act on.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from lib.errors import Conflict, Invalid, NotAllowed
from lib.text import plain_text, within
from people.models import Agency
from people.partnerships import settings_of
from reviews.models import (
    NOTE_MAX,
    REASON_MAX,
    REFERENCE_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    THEME_MAX,
    THEMES_MAX,
    TITLE_MAX,
    Evidence,
    LearningReview,
    Recommendation,
    RecommendationChange,
    ReviewTheme,
    TrackerSettings,
)

MAX_STAFF = 100_000
LINKS = ("courses", "resources", "briefings")


def tracker_settings(partnership=None) -> TrackerSettings:
    """A partnership's tracker settings (a Partnership or its pk; by default the first partnership's, the only one
    on a hub of one), made with the defaults when it has none yet. A recommendation follows its review's
    partnership's."""
    return settings_of(TrackerSettings, partnership)


# A review's date and a recommendation's due date fall between these: the first reviews the tracker follows
# and, at the far end, a year ahead for a review (one planned) and ten years for a due date.
EARLIEST = date(1990, 1, 1)
REVIEW_DAYS_AHEAD = 366
DUE_YEARS_AHEAD = 10


def _clean_themes(themes: Iterable[str]) -> list[str]:
    cleaned, seen = [], set()
    for theme in themes:
        plain_text(str(theme), label="A theme", field="themes")
        text = " ".join(str(theme).split())
        if not text:
            continue
        within(text, THEME_MAX, label="A theme", field="themes")
        if text.lower() not in seen:
            seen.add(text.lower())
            cleaned.append(text)
    if len(cleaned) > THEMES_MAX:
        raise Invalid(f"A review has at most {THEMES_MAX} themes (it has {len(cleaned)}).", field="themes")
    return cleaned


def check_review_date(day: date, *, today: date | None = None) -> date:
    """A review's date from 1 January 1990 to a year ahead; Invalid on `date` otherwise."""
    today = today or timezone.localdate()
    if day < EARLIEST:
        raise Invalid(f"The review's date must be on or after {EARLIEST:%-d %B %Y}.", field="date")
    if day > today + timedelta(days=REVIEW_DAYS_AHEAD):
        raise Invalid("The review's date must not be more than a year ahead.", field="date")
    return day


def check_due_date(day: date, *, today: date | None = None) -> date:
    """A recommendation's due date from 1 January 1990 to ten years ahead; Invalid on `due` otherwise."""
    today = today or timezone.localdate()
    if day < EARLIEST:
        raise Invalid(f"The due date must be on or after {EARLIEST:%-d %B %Y}.", field="due")
    if day.year > today.year + DUE_YEARS_AHEAD:
        raise Invalid(f"The due date must be within {DUE_YEARS_AHEAD} years, by the end of "
                      f"{today.year + DUE_YEARS_AHEAD}.", field="due")
    return day


def _review_fields(*, kind: str, title: str, date: date, reference: str, summary: str) -> dict:
    """A review's details checked once, for recording and for correcting one: nothing cut short."""
    if kind not in LearningReview.Kind.values:
        raise Invalid(f"Kind must be one of: {', '.join(LearningReview.Kind.values)}.", field="kind")
    plain_text(title, label="The title", field="title")
    title = " ".join(title.split())
    if not title:
        raise Invalid("Enter the review's title.", field="title")
    within(title, TITLE_MAX, label="The title", field="title")
    reference = (reference or "").strip()
    plain_text(reference, label="The reference", field="reference")
    within(reference, REFERENCE_MAX, label="The reference", field="reference")
    summary = (summary or "").strip()
    within(summary, SUMMARY_MAX, label="The summary", field="summary")
    return {"kind": kind, "title": title, "date": check_review_date(date), "reference": reference,
            "summary": summary}


def create_review(*, kind: str, title: str, date: date, reference: str = "", summary: str = "",
                  themes: Iterable[str] = (), by=None, partnership=None) -> LearningReview:
    """Record a learning review (the business unit) for its partnership (default: the first). Raises Invalid for
    an unknown kind, an empty title, text past its limit or with control characters, or a date before 1990 or
    more than a year ahead."""
    fields = _review_fields(kind=kind, title=title, date=date, reference=reference, summary=summary)
    themes = _clean_themes(themes)
    with transaction.atomic():
        review = LearningReview.objects.create(**fields, created_by=by,
                                               **({"partnership": partnership} if partnership else {}))
        ReviewTheme.objects.bulk_create([ReviewTheme(review=review, theme=t) for t in themes])
    return review


def change_review(review: LearningReview, *, kind: str, title: str, date: date, reference: str = "",
                  summary: str = "", themes: Iterable[str] = ()) -> LearningReview:
    """Correct a review's details and themes (the business unit). The same rules as recording one; a new
    date moves where reach is counted from for all its recommendations."""
    fields = _review_fields(kind=kind, title=title, date=date, reference=reference, summary=summary)
    themes = _clean_themes(themes)
    with transaction.atomic():
        review = LearningReview.objects.select_for_update().get(pk=review.pk)
        for name, value in fields.items():
            setattr(review, name, value)
        review.updated_at = timezone.now()
        review.save()
        review.themes.all().delete()
        ReviewTheme.objects.bulk_create([ReviewTheme(review=review, theme=t) for t in themes])
    return review


def _check_owners(lead_agency: Agency, owner_agencies: Iterable[Agency]) -> list[Agency]:
    return [a for a in dict.fromkeys(owner_agencies) if a.pk != lead_agency.pk]


LINK_WORDS = {"courses": "course", "resources": "resource", "briefings": "briefing"}


def check_links(review: LearningReview, field: str, chosen) -> list:
    """The courses, resources or briefings (`field`) chosen to answer a recommendation of `review`: each must be the
    review's partnership's. Raises Invalid naming the field and the first that is another partnership's."""
    chosen = list(chosen)
    other = next((o for o in chosen if o.partnership_id != review.partnership_id), None)
    if other is not None:
        word = LINK_WORDS[field]
        raise Invalid(f"The {word} {str(other)[:80]!r} is another partnership's: a recommendation of "
                      f"{review.partnership.name}'s review is answered by {review.partnership.name}'s {field}.",
                      field=field)
    return chosen


def add_recommendation(review: LearningReview, *, text: str, lead_agency: Agency, due: date,
                       owner_agencies: Iterable[Agency] = (), number: int | None = None, courses=(), resources=(),
                       briefings=(), by=None) -> Recommendation:
    """Add a recommendation to a review, numbered next unless given, with its learning actions.

    Raises Invalid for empty text or text past TEXT_MAX, or a due date out of range; Conflict when the number
    is taken.
    """
    text = text.strip()
    if not text:
        raise Invalid("Enter the recommendation.", field="text")
    within(text, TEXT_MAX, label="The recommendation", field="text")
    check_due_date(due)
    courses, resources, briefings = (check_links(review, field, chosen) for field, chosen in
                                     zip(LINKS, (courses, resources, briefings), strict=True))
    try:
        with transaction.atomic():
            review = LearningReview.objects.select_for_update().get(pk=review.pk)  # numbers one at a time
            if number is None:
                number = (review.recommendations.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            rec = Recommendation.objects.create(review=review, number=number, text=text, lead_agency=lead_agency,
                                                due=due)
            rec.owner_agencies.set(_check_owners(lead_agency, owner_agencies))
            rec.courses.set(courses)
            rec.resources.set(resources)
            rec.briefings.set(briefings)
            RecommendationChange.objects.create(recommendation=rec, field="created", after=text, by=by)
    except IntegrityError as exc:
        raise Conflict(f"{review.title} already has a recommendation {number}.", field="number") from exc
    return rec


def _names(objects) -> str:
    return ", ".join(sorted(str(o) for o in objects))


def _words(field: str, value) -> str:
    """A value as the history shows it to people: "In progress", "1 September 2030", an agency's name."""
    if field == "status":
        return str(Recommendation.Status(value).label)
    if field == "due":
        return f"{value:%-d %B %Y}"
    return str(value)


def change_recommendation(rec: Recommendation, *, by=None, reason: str = "", **changes) -> Recommendation:
    """Change a recommendation's status, due date, text, owners or learning actions, keeping each change.

    Closing needs a reason (Invalid); a closed recommendation reopens only with a reason too. Text and
    reason past their limits, and a due date out of range, are Invalid.
    """
    reason = within((reason or "").strip(), REASON_MAX, label="The reason", field="reason")
    if isinstance(changes.get("text"), str):
        changes["text"] = within(changes["text"].strip(), TEXT_MAX, label="The recommendation", field="text")
    if changes.get("due") is not None:
        check_due_date(changes["due"])
    allowed = {"status", "due", "text", "lead_agency", "owner_agencies", *LINKS}
    unknown = set(changes) - allowed
    if unknown:
        raise Invalid(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    for field in LINKS:
        if field in changes:
            changes[field] = check_links(rec.review, field, changes[field])
    status = changes.get("status")
    if status is not None and status not in Recommendation.Status.values:
        raise Invalid(f"Status must be one of: {', '.join(Recommendation.Status.values)}.", field="status")
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=rec.pk)
        if status == Recommendation.Status.CLOSED and rec.status != status and not reason:
            raise Invalid("Give the reason for closing the recommendation.", field="reason")
        if rec.status == Recommendation.Status.CLOSED and status not in (None, rec.status) and not reason:
            raise Invalid("Give the reason for reopening the recommendation.", field="reason")
        old_status, kept = rec.status, []
        for field in ("status", "due", "text", "lead_agency"):
            if field in changes and changes[field] != getattr(rec, field):
                kept.append((field, _words(field, getattr(rec, field)), _words(field, changes[field])))
                setattr(rec, field, changes[field])
        if "text" in changes and not rec.text.strip():
            raise Invalid("Enter the recommendation.", field="text")
        if rec.status != old_status:
            rec.closed_reason = reason if rec.status == Recommendation.Status.CLOSED else ""
        rec.updated_at = timezone.now()
        rec.save()
        for field in ("owner_agencies", *LINKS):
            if field in changes:
                new = list(changes[field])
                if field == "owner_agencies":
                    new = _check_owners(rec.lead_agency, new)
                old = list(getattr(rec, field).all())
                if {o.pk for o in old} != {n.pk for n in new}:
                    getattr(rec, field).set(new)
                    kept.append((field, _names(old), _names(new)))
        RecommendationChange.objects.bulk_create([
            RecommendationChange(recommendation=rec, field=f, before=b[:2000], after=a[:2000], reason=reason, by=by)
            for f, b, a in kept])
    return rec


def add_evidence(rec: Recommendation, *, note: str, by, staff_reached: int | None = None,
                 agency: Agency | None = None, now: datetime | None = None) -> Evidence:
    """Add a dated evidence note (never edited afterwards).

    The business unit may write for any agency (or none); an agency manager writes for their own agency,
    which must own the recommendation (NotAllowed otherwise). A closed recommendation takes no more
    evidence (Conflict).
    """
    from people.permissions import may

    note = note.strip()
    if not note:
        raise Invalid("Enter the evidence.", field="note")
    within(note, NOTE_MAX, label="The evidence", field="note")
    if staff_reached is not None and not 0 <= staff_reached <= MAX_STAFF:
        raise Invalid(f"Staff reached must be a whole number from 0 to {MAX_STAFF:,}.", field="staff_reached")
    if not may(by, "add_evidence", rec):
        raise NotAllowed("Only the business unit and managers of an owner agency add evidence.")
    if not may(by, "manage_learning_reviews", rec):
        agency = by.agency  # a manager speaks for their own agency only
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=rec.pk)  # its status now, not as read earlier
        if rec.status == Recommendation.Status.CLOSED:
            raise Conflict("This recommendation is closed: it takes no more evidence.")
        return Evidence.objects.create(recommendation=rec, note=note, staff_reached=staff_reached, agency=agency,
                                       written_by=by, written_at=now or timezone.now())


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def send_owner_reminders(*, now: datetime | None = None) -> int:
    """Weekly: each owner agency's managers get one email listing its recommendations overdue or due within
    30 days and not yet evidenced or closed. A recommendation goes to an agency once per week however often
    this runs (OwnerReminder rows, claimed under the agency's lock). Returns how many emails were queued."""
    from django.conf import settings
    from django.db.models import Q
    from django.urls import reverse

    from notifications.services import queue_email
    from people import roles
    from people.models import Person
    from reviews.models import OwnerReminder

    now = now or timezone.now()
    today = timezone.localdate(now)
    week = _week_of(today)
    due = Recommendation.objects.filter(due__lte=today + timedelta(days=30)).exclude(
        status__in=[Recommendation.Status.EVIDENCED, Recommendation.Status.CLOSED]).select_related("review")
    by_agency: dict[int, list[Recommendation]] = {}
    for rec in due.prefetch_related("owner_agencies"):
        for agency_id in rec.owner_ids():
            by_agency.setdefault(agency_id, []).append(rec)
    queued = 0
    for agency_id, recs in sorted(by_agency.items()):
        with transaction.atomic():
            agency = Agency.objects.select_for_update().get(pk=agency_id)  # one sender per agency at a time
            told = set(OwnerReminder.objects.filter(agency=agency, week=week).values_list("recommendation_id",
                                                                                          flat=True))
            fresh = [rec for rec in recs if rec.pk not in told]
            managers = list(Person.objects.filter(Q(agency=agency) & Q(is_active=True)
                                                  & Q(groups__name=roles.AGENCY_MANAGER)).distinct())
            if not fresh or not managers:
                continue
            OwnerReminder.objects.bulk_create([OwnerReminder(recommendation=rec, agency=agency, week=week,
                                                             sent_at=now) for rec in fresh])
            listed = [{"review": rec.review.title, "number": rec.number, "text": rec.text,
                       "due": f"{rec.due:%-d %B %Y}", "overdue": rec.due < today,
                       "url": settings.SITE_URL + reverse("recommendation", args=[rec.pk])} for rec in fresh]
            for manager in managers:
                queue_email(to=manager.email, kind="recommendations_due", template="reviews/email/owner_reminder",
                            subject=f"{len(fresh)} recommendation{'s' if len(fresh) != 1 else ''} due for "
                                    f"{agency.name}",
                            context={"name": manager.name, "agency": agency.name, "recommendations": listed,
                                     "tracker_url": settings.SITE_URL + reverse("learning_tracker")})
                queued += 1
    return queued
