import pytest

from people.backends import AuthenticationBackend, ModelBackend


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_the_signed_in_person_comes_with_their_agency(backend, practitioner, django_assert_num_queries):
    with django_assert_num_queries(1):
        person = backend.get_user(practitioner.pk)
        assert person.agency.code == "halton-bc"


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_a_deactivated_or_unknown_person_is_not_signed_in(backend, practitioner):
    practitioner.is_active = False
    practitioner.save()
    assert backend.get_user(practitioner.pk) is None
    assert backend.get_user(practitioner.pk + 1000) is None
