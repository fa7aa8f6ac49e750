"""A hub of the four Pan-Cheshire partnerships, for the tests of pages and reports: Halton first (the default,
holding everything that names no partnership), then Cheshire West and Chester, Cheshire East and Warrington."""

from people.models import Agency, Partnership
from people.partnerships import default_partnership

OTHERS = (
    ("cheshire-west", "Cheshire West and Chester Safeguarding Children Partnership", "cwac@example.org"),
    ("cheshire-east", "Cheshire East Safeguarding Children's Partnership", "cesp@example.org"),
    ("warrington", "Warrington Safeguarding Partnership", "wsp@example.org"),
)


def four_partnerships() -> dict[str, Partnership]:
    """Halton (the default, with a contact address and website) and the three others, by slug."""
    halton = default_partnership()
    Partnership.objects.filter(pk=halton.pk).update(contact_email="halton@example.org",
                                                    website="https://hcypsp.example.org/")
    halton.refresh_from_db()
    found = {halton.slug: halton}
    for slug, name, email in OTHERS:
        found[slug] = Partnership.objects.get_or_create(slug=slug, defaults={"name": name, "contact_email": email})[0]
    return found


def agency_of(code: str, name: str, *partnerships: Partnership) -> Agency:
    agency = Agency.objects.update_or_create(code=code, defaults={"name": name, "kind": "statutory_partner"})[0]
    agency.partnerships.add(*partnerships)
    return agency


def act_for(person, partnership: Partnership, *role_names: str, home: Partnership | None = None):
    """`person` holding exactly these roles, the scoped ones for `partnership` only, at home in `home` (default:
    that partnership)."""
    from people.models import Person, RoleGrant
    from people.services import set_roles

    RoleGrant.objects.filter(person=person).delete()
    set_roles(person, list(role_names), partnership=partnership)
    Person.objects.filter(pk=person.pk).update(home_partnership=home or partnership)
    return Person.objects.get(pk=person.pk)
