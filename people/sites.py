"""The site allauth's emails name: the partnership (the network, on a hub of several), served at SITE_URL.

allauth's emails say "Hello from <site name>!" and "register an account on <site domain>", reading
the site it is given. The hub has one site, described by its settings, so the site is built from
PARTNERSHIP_NAME and SITE_URL each time an email is written: it follows a change to either on the
next email, with no row to bring up to date (and the Sites framework's table keeps a name of at
most 50 characters, shorter than many partnerships' names).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from people.partnerships import masthead


@dataclass(frozen=True)
class HubSite:
    name: str
    domain: str

    def __str__(self) -> str:
        return self.domain


def current_site() -> HubSite:
    """The partnership's name (on a network, the network's: people.partnerships.masthead) and SITE_URL's host
    (with its port, if any), from the settings now."""
    domain = urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    return HubSite(name=masthead().name, domain=domain)
