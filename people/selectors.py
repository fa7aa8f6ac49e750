"""Reads about partnerships, agencies and people that are more than one filter."""

import re

from people import roles
from people.models import Agency, Partnership, Person
from people.partnerships import default_partnership
from people.permissions import roles_of

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")


def partnership_named(slug: str) -> Partnership | None:
    """The partnership with this slug, or None; text that cannot be a slug (a NUL, which PostgreSQL refuses to
    read, a control character, past 40 characters) asks nothing of the database."""
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        return None
    return Partnership.objects.filter(slug=slug).first()


def partnership_slugs() -> list[str]:
    return list(Partnership.objects.order_by("pk").values_list("slug", flat=True))


def agency_partnerships(agency: Agency | None) -> list[Partnership]:
    """The partnerships an agency belongs to, first made first; an agency in none belongs to the default one.

    Uses the agency's prefetched partnerships when the query prefetched them.
    """
    if agency is None:
        return [default_partnership()]
    found = sorted(agency.partnerships.all(), key=lambda p: p.pk)
    return found or [default_partnership()]


def home_partnership_of(person: Person) -> Partnership:
    """The person's home partnership: theirs, else the default one."""
    return person.home_partnership if person.home_partnership_id else default_partnership()


def role_grants_of(person: Person) -> list[dict]:
    """Where each of the person's roles applies: `{role, partnership}` with the partnership's slug for the scoped
    roles (one per partnership held), None for the network-wide ones. A scoped role held without a grant applies
    nowhere and is left out."""
    held = roles_of(person)
    rows = [{"role": role, "partnership": None} for role in sorted(held) if role not in roles.SCOPED]
    grants = (person.role_grants.filter(role__in=held).select_related("partnership")
              .order_by("role", "partnership_id"))
    rows += [{"role": grant.role, "partnership": grant.partnership.slug} for grant in grants]
    return sorted(rows, key=lambda row: (row["role"], row["partnership"] or ""))
