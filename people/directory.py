"""Finding a partnership by the slug in an address or a parameter, and whom to contact about its training."""

import re

from django.conf import settings

from people.models import Partnership

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")


def partnership_by_slug(slug: str | None) -> Partnership | None:
    """The partnership with this slug, or None (also for text that could never be a slug: control characters,
    lone surrogates or a megabyte of it never reach the database)."""
    if not slug or not SLUG.fullmatch(slug):
        return None
    return Partnership.objects.filter(slug=slug).first()


def contact_email_of(partnership) -> str:
    """The partnership's contact email; the hub's CONTACT_EMAIL when the partnership has none (or is None)."""
    return (getattr(partnership, "contact_email", "") or settings.CONTACT_EMAIL or "").strip()
