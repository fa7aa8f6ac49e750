"""Whom to contact about a partnership's training (finding one by its slug: people.selectors.partnership_named)."""

from django.conf import settings


def contact_email_of(partnership) -> str:
    """The partnership's contact email; the hub's CONTACT_EMAIL when the partnership has none (or is None)."""
    return (getattr(partnership, "contact_email", "") or settings.CONTACT_EMAIL or "").strip()
