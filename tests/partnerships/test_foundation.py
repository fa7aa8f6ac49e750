"""The partnerships on one hub: the default one, and roles held per partnership."""

from courses.models import Course
from people import roles
from people.models import Partnership, RoleGrant
from people.partnerships import default_partnership, home_partnership_id, is_network, partnership_ids_for
from people.services import grant_role, set_roles


def test_a_hub_of_one_makes_its_partnership_from_the_settings(db, settings):
    first = default_partnership()
    assert (first.slug, first.name) == (settings.PARTNERSHIP_SLUG, settings.PARTNERSHIP_NAME)
    assert not is_network()
    Partnership.objects.all().delete()
    settings.PARTNERSHIP_SLUG, settings.PARTNERSHIP_NAME = "halton", "Halton Safeguarding"
    first = default_partnership()
    assert (first.slug, first.name) == ("halton", "Halton Safeguarding")
    assert default_partnership() == first and not is_network()


def test_data_that_names_no_partnership_belongs_to_the_first(course, session):
    assert course.partnership == default_partnership()
    assert Course.objects.filter(partnership=default_partnership()).count() == 1


def test_scoped_roles_are_held_for_a_partnership(make_person, halton):
    halton_p = default_partnership()
    warrington = Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    beth = make_person("beth@halton.gov.uk", halton, roles.BUSINESS_UNIT, roles.PRACTITIONER)
    assert partnership_ids_for(beth, roles.BUSINESS_UNIT) == {halton_p.pk}
    assert partnership_ids_for(beth, roles.FINANCE) == frozenset()
    grant_role(beth, roles.BUSINESS_UNIT, partnership=warrington)
    assert partnership_ids_for(beth, roles.BUSINESS_UNIT) == {halton_p.pk, warrington.pk}
    # practitioner is network-wide: no grant
    assert not RoleGrant.objects.filter(person=beth, role=roles.PRACTITIONER).exists()
    set_roles(beth, [roles.PRACTITIONER])
    assert partnership_ids_for(beth, roles.BUSINESS_UNIT) == frozenset()
    assert not RoleGrant.objects.filter(person=beth).exists()


def test_a_person_with_no_home_partnership_belongs_to_the_first(practitioner):
    assert home_partnership_id(practitioner) == default_partnership().pk


def test_a_network_lead_is_a_role(make_person, halton):
    lead = make_person("nina@halton.gov.uk", halton, roles.NETWORK_LEAD)
    assert lead.groups.filter(name=roles.NETWORK_LEAD).exists()
    assert not RoleGrant.objects.filter(person=lead).exists()


def test_on_a_hub_of_one_a_role_given_as_a_group_alone_holds_for_its_partnership(make_person, halton):
    from django.contrib.auth.models import Group

    from people.services import forget_roles

    fiona = make_person("fiona@halton.gov.uk", halton, roles.PRACTITIONER)
    fiona.groups.add(Group.objects.get(name=roles.FINANCE))  # as the admin's group boxes do
    forget_roles(fiona)
    assert partnership_ids_for(fiona, roles.FINANCE) == {default_partnership().pk}
    Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")
    forget_roles(fiona)
    assert partnership_ids_for(fiona, roles.FINANCE) == frozenset()  # a network counts grants only
