"""Which partnership a business unit acts for, when it holds the role for several.

"Run the programme" shows one partnership's programme; what the business unit makes there (a course, a
resource, a briefing, a learning review) belongs to it. A person who is the business unit of one partnership
acts for that one and sees no choice; one who holds the role for several chooses, and the choice is kept in
their session (a choice they may no longer make falls back to the first they may).
"""


from people import roles
from people.models import Partnership
from people.partnerships import partnership_ids_for
from people.selectors import partnership_named, partnership_slugs

SESSION_KEY = "acting_partnership"


def partnerships_acted_for(person, role: str = roles.BUSINESS_UNIT) -> list[Partnership]:
    """The partnerships for which `person` holds `role`, in the hub's order (all of them for a superuser)."""
    if getattr(person, "is_superuser", False) and person.is_active:
        return list(Partnership.objects.order_by("pk"))
    return list(Partnership.objects.filter(pk__in=partnership_ids_for(person, role)).order_by("pk"))


def acting_partnership(request, role: str = roles.BUSINESS_UNIT) -> Partnership | None:
    """The partnership the signed-in person acts for now: the one they chose, else the first they hold `role`
    for; None when they hold it for none."""
    choices = partnerships_acted_for(request.user, role)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    for partnership in choices:
        if partnership.pk == chosen:
            return partnership
    return choices[0] if choices else None


def choose_partnership(request, partnership_id) -> Partnership | None:
    """Act for this partnership from now on; None (and nothing kept) when the person may not act for it."""
    for partnership in partnerships_acted_for(request.user):
        if partnership.pk == partnership_id:
            request.session[SESSION_KEY] = partnership.pk
            return partnership
    return None


def partnership_for_new(request, slug: str | None = None) -> Partnership:
    """The partnership a new course, resource, briefing or learning review belongs to.

    Named (`slug`, from the API): it, if the person runs its programme. Otherwise the one they chose on "Run the
    programme", else the only one they run. Raises Invalid for an unknown slug or when a business unit of several
    names none and has chosen none, NotAllowed for another partnership's.
    """
    from lib.errors import Invalid, NotAllowed

    choices = partnerships_acted_for(request.user)
    if slug:
        slug = str(slug).strip()
        found = partnership_named(slug)
        if found is None:
            known = ", ".join(partnership_slugs())
            raise Invalid(f"There is no such partnership: give one of {known}.", field="partnership")
        if found not in choices:
            raise NotAllowed(f"You do not run {found.name}'s programme, so cannot add to it.", field="partnership")
        return found
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if len(choices) == 1 or any(p.pk == chosen for p in choices):
        return acting_partnership(request)
    if not choices:
        raise NotAllowed("You do not run any partnership's programme.")
    names = ", ".join(p.slug for p in choices)
    raise Invalid(f"Say which partnership this is for: one of {names}.", field="partnership")
