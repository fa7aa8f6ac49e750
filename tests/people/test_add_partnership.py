"""people.services.add_partnership: a partnership joins the hub, with its details checked."""

import pytest

from lib.errors import Invalid
from people.models import Partnership
from people.partnerships import default_partnership, is_network
from people.services import add_partnership


def test_a_second_partnership_makes_a_network_and_the_first_stays_the_default(db):
    first = default_partnership()
    assert not is_network()
    warrington = add_partnership("warrington", name="Warrington Safeguarding Partnership",
                                 contact_email="safeguardingpartnership@warrington.gov.uk",
                                 website="https://www.warrington.gov.uk")
    assert is_network() and default_partnership() == first
    assert Partnership.objects.get(slug="warrington") == warrington


@pytest.mark.parametrize(("slug", "name", "email", "website", "field"), [
    ("halton", "Another Halton", "", "", "slug"),
    ("Not a slug!", "Somewhere", "", "", "slug"),
    ("somewhere", "Somewhere\u202e", "", "", "name"),
    ("somewhere", "Somewhere", "not an address", "", "contact_email"),
    ("somewhere", "Somewhere", "", "not a website", "website"),
])
def test_a_taken_or_malformed_detail_is_refused_naming_the_field(db, slug, name, email, website, field):
    default_partnership()
    with pytest.raises(Invalid) as caught:
        add_partnership(slug, name=name, contact_email=email, website=website)
    assert caught.value.field == field
    assert Partnership.objects.count() == 1
