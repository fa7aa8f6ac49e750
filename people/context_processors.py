from django.conf import settings

from people.permissions import may, roles_of


def hub(request):
    person = getattr(request, "user", None)
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "my_roles": roles_of(person),
        "can_manage_catalogue": may(person, "manage_catalogue"),
        "can_view_charges": may(person, "view_charges"),
        "is_trainer": "trainer" in roles_of(person),
        "can_see_completions": may(person, "view_completions"),
        "can_see_analysis": may(person, "view_reports") or may(person, "view_charge_reports"),
    }
