"""The service's name in the header and page titles. A hub of one shows PARTNERSHIP_NAME as it always has; on a
network the network-wide pages name the network (NETWORK_NAME, or a plain default when it is empty) and a
partnership's own pages (its calendar, its programme) name that partnership."""

import re

import pytest

from people.models import Partnership
from people.partnerships import DEFAULT_NETWORK_NAME, default_partnership

HALTON = "Halton Children and Young People Safeguarding Partnership"
WARRINGTON = "Warrington Safeguarding Partnership"


def header_and_title(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    header = re.search(r'<p class="hub-masthead__partnership">(.*?)</p>', page)[1]
    title = re.search(r"<title>(.*?)</title>", page, re.S)[1]
    return header, title


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name=WARRINGTON)


@pytest.mark.parametrize("network_name", ["", "Pan-Cheshire safeguarding training"])
def test_a_hub_of_one_names_its_partnership_as_always(client, business_unit, settings, network_name):
    settings.NETWORK_NAME = network_name
    default_partnership()
    for url in ("/", "/p/halton/"):
        assert header_and_title(client, url) == (HALTON, f"Training calendar – {HALTON} training hub")
    header, title = header_and_title(client, "/accounts/login/")
    assert header == HALTON and title.endswith(f"– {HALTON} training hub")
    client.force_login(business_unit)
    assert header_and_title(client, "/programme/") == (HALTON, f"Run the programme – {HALTON} training hub")
    assert header_and_title(client, "/account/")[0] == HALTON


def test_the_network_pages_name_the_network(client, practitioner, warrington, settings):
    settings.NETWORK_NAME = ""
    assert header_and_title(client, "/") == (DEFAULT_NETWORK_NAME, f"Training calendar – {DEFAULT_NETWORK_NAME}")
    assert header_and_title(client, "/accounts/login/")[0] == DEFAULT_NETWORK_NAME
    settings.NETWORK_NAME = "Pan-Cheshire safeguarding training"
    header, title = header_and_title(client, "/accounts/login/")
    assert header == "Pan-Cheshire safeguarding training" and title.endswith("– Pan-Cheshire safeguarding training")
    client.force_login(practitioner)
    assert header_and_title(client, "/account/")[0] == "Pan-Cheshire safeguarding training"
    assert HALTON not in header_and_title(client, "/")[0]


def test_a_name_without_training_in_it_reads_as_the_networks_training_hub(client, warrington, settings):
    settings.NETWORK_NAME = "Pan-Cheshire"
    assert header_and_title(client, "/") == ("Pan-Cheshire", "Training calendar – Pan-Cheshire training hub")


def test_a_partnerships_own_pages_name_it(client, business_unit, warrington, settings):
    settings.NETWORK_NAME = "Pan-Cheshire safeguarding training"
    assert header_and_title(client, "/p/warrington/") == (WARRINGTON, f"Training calendar – {WARRINGTON} training hub")
    assert header_and_title(client, "/p/halton/")[0] == HALTON
    client.force_login(business_unit)  # Halton's business unit
    assert header_and_title(client, "/programme/") == (HALTON, f"Run the programme – {HALTON} training hub")


def test_an_error_page_without_the_database_names_the_network_when_set(rf, settings):
    from config.errors import server_error

    settings.NETWORK_NAME = ""
    assert HALTON in server_error(rf.get("/")).content.decode()
    settings.NETWORK_NAME = "Pan-Cheshire safeguarding training"
    assert "Pan-Cheshire safeguarding training" in server_error(rf.get("/")).content.decode()


def test_the_header_asks_nothing_more_of_the_database_for_someone_signed_in(rf, practitioner, warrington, settings,
                                                                              django_assert_num_queries):
    """The number of partnerships comes in the statement that loads the signed-in person (people.backends)."""
    from people.backends import AuthenticationBackend
    from people.context_processors import hub
    from people.models import partnerships_read_once

    settings.NETWORK_NAME = ""
    with partnerships_read_once():  # as every request runs (config.middleware)
        person = AuthenticationBackend().get_user(practitioner.pk)
        assert person.partnerships_on_hub == 2
        request = rf.get("/")
        request.user = person
        context = hub(request)
        with django_assert_num_queries(0):
            assert context["masthead"].name == DEFAULT_NETWORK_NAME
