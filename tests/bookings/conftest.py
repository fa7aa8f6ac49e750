"""Fixtures of the booking tests on a hub of two partnerships: Halton (the first) and Warrington."""

import pytest

from people import roles
from people.models import Agency, Partnership
from people.partnerships import default_partnership


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership",
                                      contact_email="training@warrington.gov.uk")


@pytest.fixture
def from_warrington(make_person, warrington):
    agency = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council", kind="statutory_partner")
    agency.partnerships.add(warrington)

    def make(name: str):
        person = make_person(f"{name}@warrington.gov.uk", agency, roles.PRACTITIONER)
        person.home_partnership = warrington
        person.save()
        return person

    return make


@pytest.fixture
def from_halton(make_person, halton):
    return lambda name: make_person(f"{name}@halton.gov.uk", halton, roles.PRACTITIONER)
