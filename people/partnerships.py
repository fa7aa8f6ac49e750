"""Which partnerships a person belongs to and acts for (the Pan-Cheshire network on one hub).

A hub of one partnership has one row, made from PARTNERSHIP_SLUG and PARTNERSHIP_NAME on first use; everything
that names no partnership belongs to it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from people.models import Partnership, RoleGrant, default_partnership_pk, remembered


def default_partnership() -> Partnership:
    """The first partnership, made from the settings when the hub has none yet (read once a request)."""
    return remembered("first", _first_partnership)


def _first_partnership() -> Partnership:
    first = Partnership.objects.order_by("pk").first()
    if first is None:
        first, _ = Partnership.objects.get_or_create(
            slug=settings.PARTNERSHIP_SLUG, defaults={"name": settings.PARTNERSHIP_NAME})
    return first


NETWORK = "network"  # the key under which is_network's answer is remembered


def is_network() -> bool:
    """More than one partnership: pages name the delivering partnership and offer a filter (read once a
    request)."""
    return remembered(NETWORK, lambda: Partnership.objects.count() > 1)


DEFAULT_NETWORK_NAME = "Safeguarding training network"


@dataclass(frozen=True)
class Masthead:
    """The service's name in the header (`name`) and after each page's title (`title`)."""

    name: str
    title: str


def masthead(partnership: Partnership | None = None) -> Masthead:
    """Whose service a page is: on a hub of one, PARTNERSHIP_NAME's training hub, as always; on a network, the
    partnership's own for a page of one partnership (`partnership`: its calendar, its programme), else the
    network's (NETWORK_NAME, or DEFAULT_NETWORK_NAME when that is empty)."""
    if not is_network():
        return Masthead(settings.PARTNERSHIP_NAME, f"{settings.PARTNERSHIP_NAME} training hub")
    if partnership is not None:
        return Masthead(partnership.name, f"{partnership.name} training hub")
    return _network_masthead(settings.NETWORK_NAME or DEFAULT_NETWORK_NAME)


def _network_masthead(name: str) -> Masthead:
    return Masthead(name, name if "training" in name.lower() else f"{name} training hub")


def masthead_without_database() -> Masthead:
    """For an error page that must render with the database out of reach: the network's name when NETWORK_NAME
    is set, else PARTNERSHIP_NAME's, as always."""
    if settings.NETWORK_NAME:
        return _network_masthead(settings.NETWORK_NAME)
    return Masthead(settings.PARTNERSHIP_NAME, f"{settings.PARTNERSHIP_NAME} training hub")


def home_partnership_id(person) -> int | None:
    """The person's home partnership (None signed out): theirs, else the default one."""
    if person is None or not person.is_authenticated:
        return None
    return person.home_partnership_id or default_partnership().pk


def at_home_in(ids, *, default: int | None = None, person: str = "") -> Q:
    """A Q on people (`person`: the path to them, e.g. "person__") whose home partnership is one of `ids`; a
    person naming no home belongs to the first partnership (`default`, its pk: read when not given)."""
    ids = set(ids)
    q = Q(**{f"{person}home_partnership_id__in": ids})
    if (default if default is not None else default_partnership().pk) in ids:
        q |= Q(**{f"{person}home_partnership__isnull": True})
    return q


def partnership_ids_for(person, role: str) -> frozenset[int]:
    """The partnerships for which `person` holds a scoped role (business_unit, finance, trainer).

    A superuser holds every role for every partnership. On a hub of one partnership, a role held as a group with
    no grant (given in the Django admin's groups) holds for that one, as before partnerships; on a network only
    grants count. Cached on the person for the request.
    """
    if person is None or not person.is_authenticated or not person.is_active:
        return frozenset()
    if person.is_superuser:
        return frozenset(Partnership.objects.values_list("pk", flat=True))
    cache = person.__dict__.setdefault("_hub_grants", None)
    if cache is None:
        cache = {}
        for grant_role, partnership_id in RoleGrant.objects.filter(person=person).values_list("role", "partnership_id"):
            cache.setdefault(grant_role, set()).add(partnership_id)
        person._hub_grants = cache
    from people.permissions import has_role

    if not has_role(person, role):
        return frozenset()
    held = cache.get(role)
    if not held and not is_network():
        held = {default_partnership().pk}
    return frozenset(held or ())


def sessions_open_to(person) -> Q:
    """A Q on Session: those the person may book by the partnership rule (open to the network, or their home's)."""
    home = home_partnership_id(person)
    if home is None:
        return Q(open_to="network")
    return Q(open_to="network") | Q(course__partnership_id=home)


def keyed_by_partnership(text: str, slug: str, *, network: bool) -> str:
    """A key for something a partnership owns, told apart from another partnership's of the same name: on a network
    the partnership's slug, a slash, then `text` ("warrington/Neglect: basic"; a slug holds no slash, so the first
    one splits them); on a hub of one, `text` alone, as before partnerships."""
    return f"{slug}/{text}" if network else text


def named_with_partnership(text: str, name: str, *, network: bool) -> str:
    """What a person reads for something a partnership owns: on a network `text` and the partnership's name
    ("Neglect: basic (Warrington Safeguarding Partnership)"); on a hub of one, `text` alone, as before."""
    return f"{text} ({name})" if network else text


def settings_of(model, partnership=None):
    """A partnership's own row of a per-partnership settings model (BookingSettings, ChargingPolicy,
    EvaluationSettings, TrackerSettings: one row per partnership, with a `partnership` one-to-one), made with the
    model's defaults the first time it is asked for. `partnership`: a Partnership or its pk; by default the first
    partnership (the only one on a hub of one)."""
    partnership_id = getattr(partnership, "pk", partnership) or default_partnership_pk()
    found = model.objects.filter(partnership_id=partnership_id).first()
    return found or model.objects.get_or_create(partnership_id=partnership_id)[0]


def settings_of_each(model):
    """Every partnership's row of a per-partnership settings model, read in one query, as a function from a
    partnership's pk to its row (an unsaved row of the model's defaults for a partnership with none yet, made
    only when first asked for by settings_of): for reads over many partnerships' objects at once."""
    found = {row.partnership_id: row for row in model.objects.all()}

    def of(partnership_id: int | None):
        if partnership_id is None:
            partnership_id = default_partnership_pk()
        return found.get(partnership_id) or model(partnership_id=partnership_id)

    return of
