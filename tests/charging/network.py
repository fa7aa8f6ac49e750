"""A hub of two partnerships for the charging tests: Halton (the first, as the settings name it) and Warrington.

Cheshire Constabulary serves both. Each partnership delivers one past session (14 March 2030) and has its own
finance officer and business unit; the register of each is closed, so each raised its own no-show charges.
"""

from types import SimpleNamespace

from attendance.services import close_register
from charging.models import Charge
from lib.dates import london
from people import roles
from people.models import Agency, Partnership
from people.partnerships import default_partnership
from people.services import grant_role
from tests.conftest import confirmed

AFTER = london(2030, 3, 14, 17, 0)


def officer(make_person, email: str, agency, role: str, partnership, name: str):
    """Someone holding a scoped role for one partnership only."""
    person = make_person(email, agency, roles.PRACTITIONER, name=name)
    grant_role(person, role, partnership=partnership)
    return person


def build_network(*, make_person, make_course, make_session, past_session, course, trainer, practitioner, halton,
                  police, finance, business_unit) -> SimpleNamespace:
    """Halton's Priya and a Warrington police officer miss Halton's session; Warrington's Wes and the same
    officer miss Warrington's. Returns the partnerships, people and charges by name."""
    halton_p = default_partnership()
    warrington = Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership",
                                            contact_email="training@warrington.gov.uk")
    halton.partnerships.add(halton_p)
    police.partnerships.add(halton_p, warrington)
    warrington_bc = Agency.objects.create(code="warrington-bc", name="Warrington Borough Council",
                                          kind="statutory_partner")
    warrington_bc.partnerships.add(warrington)
    wes = make_person("wes@warrington.gov.uk", warrington_bc, roles.PRACTITIONER, name="Wesley Wright")
    pat = make_person("pat@cheshire.police.uk", police, roles.PRACTITIONER, name="Pat Constable")
    for person, home in ((wes, warrington), (pat, warrington)):
        person.home_partnership = home
        person.save(update_fields=["home_partnership"])
    w_course = make_course("Warrington Neglect Toolkit")
    w_course.partnership = warrington
    w_course.save(update_fields=["partnership"])
    w_session = make_session(course_=w_course, venue="Warrington Town Hall")
    confirmed(past_session, practitioner, pat)
    confirmed(w_session, wes, pat)
    close_register(past_session, by=trainer, now=AFTER)
    close_register(w_session, by=trainer, now=AFTER)
    charges = {(c.partnership.slug, c.booking.person.email): c
               for c in Charge.objects.select_related("partnership", "booking__person")}
    return SimpleNamespace(
        halton=halton_p, warrington=warrington, warrington_bc=warrington_bc, wes=wes, pat=pat,
        h_session=past_session, w_session=w_session, w_course=w_course, charges=charges,
        h_finance=finance, h_business_unit=business_unit,
        w_finance=officer(make_person, "wendy@warrington.gov.uk", warrington_bc, roles.FINANCE, warrington,
                          "Wendy Finch"),
        w_business_unit=officer(make_person, "will@warrington.gov.uk", warrington_bc, roles.BUSINESS_UNIT,
                                warrington, "Will Barker"),
    )
