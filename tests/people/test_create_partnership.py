"""people.services.create_partnership: a partnership joins the hub, with its details checked."""

import pytest

from lib.errors import Invalid
from people.models import Partnership
from people.partnerships import default_partnership, is_network
from people.services import create_partnership


def test_a_second_partnership_makes_a_network_and_the_first_stays_the_default(db):
    first = default_partnership()
    assert not is_network()
    warrington = create_partnership("warrington", "Warrington Safeguarding Partnership",
                                    "safeguardingpartnership@warrington.gov.uk", "https://www.warrington.gov.uk")
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
        create_partnership(slug, name, email, website)
    assert caught.value.field == field
    assert Partnership.objects.count() == 1
