from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from people.partnerships import masthead, masthead_without_database
from people.permissions import may, roles_of

# The pages behind one item of the menu, by URL name: the item is shown as the section the person is in.
SECTIONS = {
    "programme": {"session_new", "session_edit", "session_cancel", "session_bookings", "charges", "charge_detail",
                  "charging_policy", "resources", "resource_new", "resource_detail", "briefing_new", "reports",
                  "annual_report", "evaluation_report", "reach_report"},
    "agency": {"agency_bookings", "completions", "charges", "charge_detail", "reports", "reach_report"},
}


def _section(request, person) -> str:
    """Which grouped item of the menu the page belongs to, for this person's menu ("" for none)."""
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else None
    if may(person, "manage_catalogue"):
        return "programme" if name in SECTIONS["programme"] else ""
    if may(person, "view_agency_bookings"):
        return "agency" if name in SECTIONS["agency"] else ""
    return ""


def _masthead():
    try:
        return masthead()
    except DatabaseError:  # a hub whose tables are not made yet (a fresh install): the name the settings give
        return masthead_without_database()


def hub(request):
    person = getattr(request, "user", None)
    return {
        "nav_section": _section(request, person),
        "partnership_name": settings.PARTNERSHIP_NAME,
        # the header's and page titles' name; a page of one partnership gives its own (people.partnerships)
        "masthead": SimpleLazyObject(_masthead),
        "contact_email": settings.CONTACT_EMAIL,
        "my_roles": roles_of(person),
        "can_manage_catalogue": may(person, "manage_catalogue"),
        "can_view_charges": may(person, "view_charges"),
        "is_trainer": "trainer" in roles_of(person),
        "can_see_agency": may(person, "view_agency_bookings"),
        "can_see_analysis": may(person, "view_reports") or may(person, "view_charge_reports"),
    }
