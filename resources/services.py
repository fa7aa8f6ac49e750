"""Digital resources: publishing, tracked opening, working through, dissemination, briefings."""

from datetime import date, datetime

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lib import text
from lib.errors import Conflict, Invalid, NotAllowed
from lib.text import plain_text, within
from notifications.services import queue_email
from people.models import Person
from people.partnerships import at_home_in, default_partnership
from people.permissions import may, partnership_id_of
from resources.models import (
    BRIEFING_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    REFLECTION_MAX,
    Briefing,
    Dissemination,
    Opening,
    Resource,
    WorkedThrough,
)

UNSUBSCRIBE_SALT = "resources.briefings.unsubscribe"
MAX_STAFF = 100_000


def check_web_address(url: str) -> str:
    """Only real web addresses: https:// or http:// with a host (lib.text's rule, the same for the page, the
    API and the README). No javascript:, data: or relative links, and no spaces or control characters."""
    url = (url or "").strip()
    problem = text.check_web_address(url)
    if problem:
        raise Invalid(problem, field="url")
    return url


@transaction.atomic
def publish_resource(*, title: str, theme: str, kind: str, url: str, owner_agency, created_by_agencies=(),
                     description: str = "", level: str = "", review_on: date | None = None,
                     partnership=None) -> Resource:
    """The business unit publishes a resource for its partnership (default: the first). Raises Invalid for a bad
    address, kind or level."""
    if kind not in Resource.Kind.values:
        raise Invalid(f"Unknown kind {kind!r}: choose {', '.join(Resource.Kind.values)}.", field="kind")
    if level not in ("", "basic", "intermediate", "masterclass"):
        raise Invalid(f"Unknown level {level!r}.", field="level")
    if not title.strip():
        raise Invalid("Enter the resource's title.", field="title")
    within(title.strip(), 200, label="The title", field="title")
    plain_text(title.strip(), label="The title", field="title")
    within(theme.strip(), 80, label="The theme", field="theme")
    within(description, DESCRIPTION_MAX, label="The description", field="description")
    resource = Resource.objects.create(title=title.strip(), theme=theme.strip(), kind=kind,
                                       url=check_web_address(url), owner_agency=owner_agency,
                                       description=description, level=level, review_on=review_on,
                                       **({"partnership": partnership} if partnership else {}))
    resource.created_by_agencies.set(created_by_agencies or [owner_agency])
    return resource


def retire_resource(resource: Resource, *, now: datetime | None = None) -> Resource:
    if resource.retired:
        raise Conflict("This resource is already retired.")
    resource.retired_at = now or timezone.now()
    resource.save(update_fields=["retired_at"])
    return resource


def record_opening(resource: Resource, person, *, now: datetime | None = None) -> str:
    """Record who opened a resource (and for which agency) and return its own address, nothing else."""
    if resource.retired:
        raise Conflict("This resource has been retired and is no longer available.")
    Opening.objects.create(resource=resource, person=person, agency_id=person.agency_id,
                           opened_at=now or timezone.now())
    return check_web_address(resource.url)


def mark_worked_through(resource: Resource, person, *, reflection: str = "") -> WorkedThrough:
    """A person says they worked through a resource, with an optional reflection; it joins their record."""
    if resource.retired:
        raise Conflict("This resource has been retired.")
    within(reflection.strip(), REFLECTION_MAX, label="Your reflection", field="reflection")
    record, _ = WorkedThrough.objects.update_or_create(
        resource=resource, person=person, defaults={"reflection": reflection.strip(), "agency_id": person.agency_id})
    return record


def record_dissemination(resource: Resource, *, agency, by, date_used: date, staff_briefed, note: str = "",
                         format: str = Dissemination.Format.TEAM_MEETING) -> Dissemination:
    """An agency manager records how their agency used a resource. Raises NotAllowed or Invalid."""
    if agency is None:
        raise Invalid("Choose the agency that used the resource.", field="agency")
    if not may(by, "record_dissemination_for", agency):
        raise NotAllowed("You can record only your own agency's use of a resource.")
    if not isinstance(staff_briefed, int) or isinstance(staff_briefed, bool) or not 1 <= staff_briefed <= MAX_STAFF:
        raise Invalid(f"Staff briefed must be a whole number from 1 to {MAX_STAFF:,}.", field="staff_briefed")
    if format not in Dissemination.Format.values:
        raise Invalid(f"Unknown format {format!r}.", field="format")
    if date_used > timezone.localdate():
        raise Invalid("The date cannot be in the future.", field="date")
    note = within(note.strip(), NOTE_MAX, label="The note", field="note")
    return Dissemination.objects.create(resource=resource, agency=agency, date=date_used, format=format,
                                        staff_briefed=staff_briefed, note=note, recorded_by=by)


# --- Briefings ----------------------------------------------------------------------------------------


def unsubscribe_token(person) -> str:
    return signing.dumps(person.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe(token: str):
    """Turn briefings off for the person a link belongs to. Raises Invalid for a forged link."""

    try:
        person = Person.objects.get(pk=signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, Person.DoesNotExist) as exc:
        raise Invalid("This unsubscribe link is not valid.") from exc
    person.briefings_opt_in = False
    person.save(update_fields=["briefings_opt_in"])
    return person


@transaction.atomic
def write_briefing(*, title: str, body: str, sessions=(), resources=(), by, partnership=None,
                   now: datetime | None = None) -> Briefing:
    """Write a briefing for a partnership (default: the first) and send it to that partnership's people, in one
    transaction: a briefing is never left half-made. Raises NotAllowed when a session or resource included is
    another partnership's."""
    if not title.strip() or not body.strip():
        raise Invalid("A briefing needs a title and some words.", field="title" if not title.strip() else "body")
    within(title.strip(), 200, label="The title", field="title")
    plain_text(title.strip(), label="The title", field="title")
    within(body, BRIEFING_MAX, label="The briefing", field="body")
    partnership = partnership or default_partnership()
    others = [str(x) for x in [*sessions, *resources] if partnership_id_of(x) != partnership.pk]
    if others:
        raise NotAllowed(f"{others[0]} is another partnership's: a briefing includes only {partnership.name}'s.")
    briefing = Briefing.objects.create(title=title.strip(), body=body, created_by=by, partnership=partnership)
    briefing.sessions.set(sessions)
    briefing.resources.set(resources)
    send_briefing(briefing, now=now)
    briefing.refresh_from_db()  # sent_at and the count of recipients
    return briefing


def _home_of(partnership_id: int) -> Q:
    """The people whose home is this partnership (an empty home is the first partnership)."""
    return at_home_in({partnership_id})


@transaction.atomic
def send_briefing(briefing: Briefing, *, now: datetime | None = None) -> int:
    """Send a briefing to everyone opted in, through the outbox, each email with its own unsubscribe link."""
    from django.conf import settings


    briefing = Briefing.objects.select_for_update(of=("self",)).get(pk=briefing.pk)
    if briefing.sent_at is not None:
        raise Conflict("This briefing has already been sent.")
    sessions = [{"title": s.course.title, "when": s.starts_at, "url": settings.SITE_URL + s.get_absolute_url()}
                for s in briefing.sessions.select_related("course").order_by("starts_at")]
    resources = [{"title": r.title, "url": settings.SITE_URL + r.get_absolute_url()}
                 for r in briefing.resources.order_by("title")]
    recipients = (Person.objects.filter(is_active=True, briefings_opt_in=True).exclude(email="")
                  .filter(_home_of(briefing.partnership_id)).order_by("pk"))
    count = 0
    for person in recipients.iterator():
        queue_email(
            to=person.email, subject=briefing.title, template="resources/email/briefing", kind="briefing",
            context={"title": briefing.title, "body": briefing.body, "sessions": sessions, "resources": resources,
                     "name": person.name, "unsubscribe_url": settings.SITE_URL + reverse(
                         "briefing_unsubscribe", args=[unsubscribe_token(person)])},
        )
        count += 1
    briefing.sent_at = now or timezone.now()
    briefing.recipients = count
    briefing.save(update_fields=["sent_at", "recipients"])
    return count


