"""add_partnership, and add_person's --partnership and --home (the agency rules of the network design)."""

import pytest
from django.core.management import CommandError, call_command

from people import roles
from people.models import Agency, Partnership, Person, RoleGrant
from people.partnerships import default_partnership, home_partnership_id, partnership_ids_for
from people.selectors import agency_partnerships


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership",
                                      contact_email="wsp@warrington.gov.uk")


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_partnership_makes_one_after_the_first(db):
    first = default_partnership()
    out = _run("add_partnership", "cheshire-east", "--name", "Cheshire East Safeguarding Children's Partnership",
               "--contact", "lscb@cheshireeast.gov.uk", "--website", "https://www.cheshireeast.gov.uk/lscb")
    made = Partnership.objects.get(slug="cheshire-east")
    assert (made.name, made.contact_email, made.website) == (
        "Cheshire East Safeguarding Children's Partnership", "lscb@cheshireeast.gov.uk",
        "https://www.cheshireeast.gov.uk/lscb")
    assert "cheshire-east" in out
    assert default_partnership() == first and made.pk > first.pk


def test_add_partnership_without_a_website(db):
    _run("add_partnership", "warrington", "--name", "Warrington", "--contact", "wsp@warrington.gov.uk")
    assert Partnership.objects.get(slug="warrington").website == ""


@pytest.mark.parametrize(("slug", "name", "contact", "website", "words"), [
    ("halton", "Halton again", "a@halton.gov.uk", "", "already a partnership called halton"),
    ("Warrington", "W", "a@w.gov.uk", "", "lower-case letters"),
    ("war rington", "W", "a@w.gov.uk", "", "lower-case letters"),
    ("war\x00rington", "W", "a@w.gov.uk", "", "lower-case letters"),
    ("warrington-", "W", "a@w.gov.uk", "", "lower-case letters"),
    ("w" * 41, "W", "a@w.gov.uk", "", "lower-case letters"),
    ("warrington", "Warrington\x1b[31m", "a@w.gov.uk", "", "control characters"),
    ("warrington", "Warrington\u202e", "a@w.gov.uk", "", "text-direction"),
    ("warrington", "See https://evil.example", "a@w.gov.uk", "", "web address"),
    ("warrington", "   ", "a@w.gov.uk", "", "Enter the partnership's name"),
    ("warrington", "W" * 201, "a@w.gov.uk", "", "200 characters or fewer"),
    ("warrington", "W", "not-an-address", "", "not an email address"),
    ("warrington", "W", "a@w.gov\x00.uk", "", "not an email address"),
    ("warrington", "W", "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".uk", "", "not an email address"),
    ("warrington", "W", "a@w.gov.uk", "https://w.gov.uk/" + "x" * 300, "300 characters or fewer"),
    ("warrington", "W", "a@w.gov.uk", "javascript:alert(1)", "https://"),
    ("warrington", "W", "a@w.gov.uk", "https://w.gov.uk/\x07", "https://"),
])
def test_add_partnership_refuses_what_cannot_be_one(db, slug, name, contact, website, words):
    default_partnership()
    args = ["add_partnership", slug, "--name", name, "--contact", contact]
    if website:
        args += ["--website", website]
    with pytest.raises(CommandError, match=words.replace("(", r"\(")):
        _run(*args)
    assert Partnership.objects.count() == 1


def test_add_partnership_needs_a_name_and_a_contact(db):
    with pytest.raises(CommandError):
        _run("add_partnership", "warrington", "--contact", "a@w.gov.uk")
    with pytest.raises(CommandError):
        _run("add_partnership", "warrington", "--name", "Warrington")


def test_add_person_on_a_hub_of_one_is_as_before(db):
    _run("add_person", "beth@halton.gov.uk", "--agency", "halton-bc", "--roles", "business_unit,finance")
    beth = Person.objects.get(email="beth@halton.gov.uk")
    assert beth.home_partnership is None  # empty: the default, as before
    assert set(RoleGrant.objects.filter(person=beth).values_list("role", "partnership__slug")) == {
        ("business_unit", "halton"), ("finance", "halton")}
    assert [p.slug for p in agency_partnerships(beth.agency)] == ["halton"]


def test_scoped_roles_are_granted_for_the_named_partnership(warrington):
    _run("add_person", "wendy@warrington.gov.uk", "--agency", "warrington-bc", "--roles", "business_unit,trainer",
         "--partnership", "warrington")
    wendy = Person.objects.get(email="wendy@warrington.gov.uk")
    assert partnership_ids_for(wendy, roles.BUSINESS_UNIT) == {warrington.pk}
    assert partnership_ids_for(wendy, roles.TRAINER) == {warrington.pk}
    # an unknown agency joins the --partnership one, and so the person's home is there too
    assert [p.slug for p in agency_partnerships(Agency.objects.get(code="warrington-bc"))] == ["warrington"]
    assert home_partnership_id(wendy) == warrington.pk


def test_a_network_needs_the_partnership_named_for_scoped_roles(warrington):
    with pytest.raises(CommandError, match="several partnerships.*business_unit role is for.*halton, warrington"):
        _run("add_person", "x@halton.gov.uk", "--agency", "halton-bc", "--roles", "business_unit")
    assert not Person.objects.filter(email="x@halton.gov.uk").exists()
    # network-wide roles need none
    _run("add_person", "p@halton.gov.uk", "--agency", "halton-bc", "--roles", "practitioner,network_lead")
    assert not RoleGrant.objects.filter(person__email="p@halton.gov.uk").exists()


def test_an_unknown_agency_joins_the_home_partnership(warrington):
    _run("add_person", "pc@cheshire.police.uk", "--agency", "cheshire-police", "--home", "warrington",
         "--partnership", "halton", "--roles", "trainer")
    police = Agency.objects.get(code="cheshire-police")
    pc = Person.objects.get(email="pc@cheshire.police.uk")
    assert [p.slug for p in agency_partnerships(police)] == ["warrington"]
    assert pc.home_partnership == warrington
    assert partnership_ids_for(pc, roles.TRAINER) == {default_partnership().pk}


def test_an_unknown_agency_with_no_partnership_named_joins_the_first(warrington):
    _run("add_person", "v@vca.org.uk", "--agency", "halton-vca")
    assert [p.slug for p in agency_partnerships(Agency.objects.get(code="halton-vca"))] == ["halton"]
    assert home_partnership_id(Person.objects.get(email="v@vca.org.uk")) == default_partnership().pk


def test_a_known_agency_joins_the_home_partnership_and_keeps_its_others(warrington):
    _run("add_person", "a@cheshire.police.uk", "--agency", "cheshire-police")
    _run("add_person", "b@cheshire.police.uk", "--agency", "cheshire-police", "--home", "warrington")
    police = Agency.objects.get(code="cheshire-police")
    assert [p.slug for p in agency_partnerships(police)] == ["halton", "warrington"]
    assert Person.objects.get(email="b@cheshire.police.uk").home_partnership == warrington
    assert home_partnership_id(Person.objects.get(email="a@cheshire.police.uk")) == default_partnership().pk


def test_an_agency_counted_in_the_default_by_having_none_stays_in_it_on_joining(warrington):
    police = Agency.objects.create(code="cheshire-police", name="Cheshire Constabulary")
    assert list(police.partnerships.all()) == []
    _run("add_person", "b@cheshire.police.uk", "--agency", "cheshire-police", "--home", "warrington")
    assert [p.slug for p in agency_partnerships(police)] == ["halton", "warrington"]


@pytest.mark.parametrize("option", ["--partnership", "--home"])
@pytest.mark.parametrize("slug", ["wigan", "warrington\x00", "halton\n", "x" * 500, ""])
def test_an_unknown_partnership_is_refused_and_nothing_is_made(warrington, option, slug):
    with pytest.raises(CommandError, match="is not a partnership on this hub: choose one of halton, warrington"):
        _run("add_person", "n@new.gov.uk", "--agency", "new-agency", option, slug, "--roles", "trainer")
    assert not Person.objects.filter(email="n@new.gov.uk").exists()
    assert not Agency.objects.filter(code="new-agency").exists()


def test_moving_to_an_agency_outside_the_home_partnership_moves_the_home(warrington):
    _run("add_person", "m@cheshire.police.uk", "--agency", "cheshire-police", "--home", "warrington")
    _run("add_person", "wbc@warrington.gov.uk", "--agency", "warrington-bc", "--home", "warrington")
    # the person moves to Halton Borough Council, which only works with Halton
    _run("add_person", "m@cheshire.police.uk", "--agency", "halton-bc")
    assert home_partnership_id(Person.objects.get(email="m@cheshire.police.uk")) == default_partnership().pk
