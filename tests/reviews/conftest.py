from datetime import date

import pytest

from people import roles
from reviews import services


@pytest.fixture
def bridgewater(db):
    from people.models import Agency

    return Agency.objects.create(code="bridgewater", name="Bridgewater Community Healthcare", kind="relevant_agency")


@pytest.fixture
def police_manager(make_person, police):
    return make_person("max@cheshire.police.uk", police, roles.AGENCY_MANAGER, name="Max Hale")


@pytest.fixture
def review(business_unit):
    return services.create_review(kind="rapid_review", title="Child L rapid review", reference="RR-2025-03",
                                  date=date(2025, 3, 1), themes=["Neglect", "Domestic abuse"], by=business_unit)


@pytest.fixture
def rec(review, halton, business_unit):
    return services.add_recommendation(review, text="Practitioners use the neglect toolkit.", lead_agency=halton,
                                       due=date(2030, 6, 30), by=business_unit)
