"""The one place that answers "may this person do this?".

Views, the API and the admin ask `may(person, action, obj)`; nothing else checks roles.

Business unit, finance and trainer are held for partnerships (people.models.RoleGrant). Asked about an object
(a course, session, booking, resource, briefing, review ...), a rule for those roles answers for the object's
partnership: the business unit of Warrington may not change Halton's session. Asked with no object, it answers
"does the person hold the role for any partnership" (to show a menu, a list page, a form to fill in).
"""

from collections.abc import Callable

from django.db.models import Q

from people import roles


def roles_of(person) -> frozenset[str]:
    """The person's roles, cached on the instance for the request."""
    if person is None or not person.is_authenticated:
        return frozenset()
    cached = getattr(person, "_hub_roles", None)
    if cached is None:
        cached = frozenset(person.groups.values_list("name", flat=True))
        person._hub_roles = cached
    return cached


def has_role(person, role: str) -> bool:
    return role in roles_of(person)


def _signed_in(person, obj=None) -> bool:
    return bool(person is not None and person.is_authenticated and person.is_active)


# How to find an object's partnership when it has no partnership of its own: through what it belongs to.
_PARTNERSHIP_LINKS = ("course", "session", "booking", "review")


def partnership_id_of(obj) -> int:
    """The partnership an object belongs to (a partnership, or its pk): its own, or its course's, session's,
    booking's or review's.

    Raises TypeError for an object that belongs to no partnership (asking about it is a mistake in the caller).
    """
    from people.models import Partnership
    from people.partnerships import default_partnership

    if isinstance(obj, Partnership):
        return obj.pk
    if isinstance(obj, int):  # a partnership's pk
        return obj
    if hasattr(obj, "partnership_id"):
        return obj.partnership_id or default_partnership().pk
    for link in _PARTNERSHIP_LINKS:
        if hasattr(obj, link):
            return partnership_id_of(getattr(obj, link))
    raise TypeError(f"{type(obj).__name__} belongs to no partnership")


def acts_for(person, role: str, obj=None) -> bool:
    """Whether `person` holds `role` for `obj`'s partnership (for any partnership, when `obj` is None)."""
    if not _signed_in(person):
        return False
    if person.is_superuser:
        return True
    from people.partnerships import partnership_ids_for

    ids = partnership_ids_for(person, role)
    if obj is None:
        return bool(ids)
    return partnership_id_of(obj) in ids


def scope(person, role_names, path: str) -> Q:
    """A Q keeping the rows whose partnership (at `path`, e.g. "course__partnership") is one for which `person`
    holds one of `role_names`: for the lists behind the yes/no answers. Everything, for a superuser."""
    if _signed_in(person) and person.is_superuser:
        return Q()
    from people.partnerships import default_partnership, partnership_ids_for

    ids: set[int] = set()
    for role in [role_names] if isinstance(role_names, str) else role_names:
        ids |= partnership_ids_for(person, role)
    if not ids:
        return Q(pk__in=[])
    if path.endswith("home_partnership") and default_partnership().pk in ids:  # empty home: the first one
        return Q(**{f"{path}__in": ids}) | Q(**{f"{path}__isnull": True})
    return Q(**{f"{path}__in": ids})


def _business_unit(person, obj=None) -> bool:
    return acts_for(person, roles.BUSINESS_UNIT, obj)


def _agency_manager(person, obj=None) -> bool:
    """An agency manager tied to an agency: they see their own agency's staff."""
    return _signed_in(person) and has_role(person, roles.AGENCY_MANAGER) and person.agency_id is not None


def _network_lead(person, obj=None) -> bool:
    return _signed_in(person) and has_role(person, roles.NETWORK_LEAD)


def _finance(person, obj=None) -> bool:
    return _signed_in(person) and has_role(person, roles.FINANCE) and acts_for(person, roles.FINANCE, obj)


def _trainer_of(person, session=None) -> bool:
    """Allocated to deliver the session (which puts them in its course's pool, for its partnership)."""
    if not _signed_in(person) or session is None:
        return False
    return session.allocations.filter(person=person).exists()


RULES: dict[str, Callable] = {
    "view_catalogue": lambda person, obj=None: True,
    # the deep health check says only ok or failing, in plain words: the monitoring system polls it unsigned
    "view_health": lambda person, obj=None: True,
    "view_agencies": _signed_in,
    "view_trainer_pool": _signed_in,
    # agencies serve several partnerships: any business unit keeps them (obj: the agency, not asked about)
    "manage_agencies": lambda person, agency=None: _business_unit(person),
    "manage_catalogue": _business_unit,
    "manage_sessions": _business_unit,
    "manage_trainer_pool": _business_unit,
    # obj, for the rules of the business unit below: the course, session, booking, resource, briefing or review
    # acted on; its partnership's business unit alone may act on it
    "take_register": lambda person, session=None: _business_unit(person, session) or _trainer_of(person, session),
    # Charging: obj is the partnership (or its pk) for review/invoice/policy, the charge for decide/view.
    "review_charges": lambda person, partnership=None: _for_partnership(person, partnership, roles.FINANCE,
                                                                        roles.BUSINESS_UNIT),
    "see_all_bookings": lambda person, booking=None: _finance(person, booking) or _business_unit(person, booking),
    "book": _signed_in,
    "choose_calendar_invites": _signed_in,  # their own: invites by email, or the feed alone
    "cancel_booking": lambda person, booking=None: _business_unit(person, booking) or (
        _signed_in(person) and booking is not None and booking.person_id == person.pk),
    "hand_over_booking": lambda person, booking=None: _signed_in(person) and booking is not None
    and booking.person_id == person.pk,
    "answer_offer": lambda person, booking=None: _signed_in(person) and booking is not None
    and booking.person_id == person.pk,
    # evaluating a session, answering its follow-up: only the person who attended (obj: their booking)
    "evaluate_booking": lambda person, booking=None: _signed_in(person) and booking is not None
    and booking.person_id == person.pk,
    # a certificate's PDF: its holder, and the business unit (obj: the certificate's booking)
    "download_certificate": lambda person, booking=None: _business_unit(person, booking) or (
        _signed_in(person) and booking is not None and booking.person_id == person.pk),
    "use_admin": _business_unit,
    "manage_resources": _business_unit,
    # Reports: the network lead reads every partnership's and changes nothing (reports/api.reported_partnerships
    # limits everyone else's to the partnerships they hold the role for).
    "view_reports": lambda person, obj=None: _business_unit(person) or _network_lead(person) or (
        _signed_in(person) and has_role(person, roles.AGENCY_MANAGER)),
    "view_charge_reports": lambda person, obj=None: _business_unit(person) or _finance(person) or (
        _network_lead(person)) or (_signed_in(person) and has_role(person, roles.AGENCY_MANAGER)),
    # Finance and the business unit work for the whole partnership: their reports cover every agency, and
    # they may narrow them to one. Everyone else who sees reports sees their own agency's figures only.
    "report_on_any_agency": lambda person, obj=None: _business_unit(person) or _finance(person) or (
        _network_lead(person)),
    "report_on_every_partnership": lambda person, obj=None: _network_lead(person) or (
        _signed_in(person) and person.is_superuser),
    "view_annual_report": lambda person, obj=None: _business_unit(person) or _network_lead(person),
    "view_exchange_report": lambda person, obj=None: _business_unit(person) or _network_lead(person),
    "view_evaluation_report": lambda person, obj=None: _business_unit(person) or _network_lead(person),
    "send_briefings": _business_unit,
    "record_dissemination": lambda person, resource=None: _business_unit(person, resource) or (
        _signed_in(person) and has_role(person, roles.AGENCY_MANAGER)),
    # whose use of a resource a person may record (obj: the agency): their own agency's only
    "record_dissemination_for": lambda person, agency=None: _signed_in(person) and agency is not None
    and person.agency_id == agency.pk,
    "view_reach": lambda person, obj=None: _business_unit(person) or _network_lead(person) or (
        _signed_in(person) and has_role(person, roles.AGENCY_MANAGER)),
    "correct_marks": _business_unit,
    "manage_charging_policy": lambda person, partnership=None: _for_partnership(person, partnership,
                                                                                roles.BUSINESS_UNIT),
    # Finance applies the policy, so reads it; the business unit changes it (each partnership's its own).
    "view_charging_policy": lambda person, partnership=None: _for_partnership(person, partnership, roles.FINANCE,
                                                                              roles.BUSINESS_UNIT),
    "decide_charges": lambda person, charge=None: _for_partnership(person, charge, roles.FINANCE),
    "invoice_agencies": lambda person, partnership=None: _for_partnership(person, partnership, roles.FINANCE),
    "view_completions": _agency_manager,
    "view_agency_bookings": _agency_manager,
    "view_charges": lambda person, charge=None: _for_partnership(person, charge, roles.FINANCE,
                                                                 roles.BUSINESS_UNIT) or (
        _signed_in(person) and has_role(person, roles.AGENCY_MANAGER)
        and (charge is None or charge.agency_id == person.agency_id)),
    "view_learning_tracker": lambda person, review=None: _business_unit(person, review) or _agency_manager(person),
    "manage_learning_reviews": _business_unit,
    "add_evidence": lambda person, recommendation=None: _business_unit(person, recommendation) or (
        _agency_manager(person) and recommendation is not None
        and person.agency_id in recommendation.owner_ids()),
}


def may(person, action: str, obj=None) -> bool:
    try:
        rule = RULES[action]
    except KeyError as exc:
        raise KeyError(f"No permission rule for {action!r}") from exc
    return bool(rule(person, obj))


def not_theirs(obj) -> str:
    """Why a person may not act on another partnership's object, in a sentence naming whose it is."""
    from people.models import Partnership

    name = Partnership.objects.filter(pk=partnership_id_of(obj)).values_list("name", flat=True).first()
    return f"This belongs to {name}: only the people who run {name}'s programme may do this."


def managed_agency_id(person) -> int | None:
    """The agency whose bookings and charges this person sees as its manager (their own), or None.

    For the lists of what a person sees, which are queries rather than yes/no answers.
    """
    if _signed_in(person) and has_role(person, roles.AGENCY_MANAGER):
        return person.agency_id
    return None


def require(person, action: str, obj=None) -> None:
    """For views: a 403 unless `may(person, action, obj)`."""
    from django.core.exceptions import PermissionDenied

    if not may(person, action, obj):
        raise PermissionDenied


# --- Charging: a partnership's finance and business unit act on the charges, invoices and policy it owns -----


def _for_partnership(person, obj, *scoped_roles: str) -> bool:
    """Whether `person` holds one of the scoped roles for the partnership `obj` is about (a partnership, its pk,
    or anything that belongs to one, such as a charge); with no `obj`, for any partnership. Finance is a role a
    superuser holds only when given it, as before partnerships."""
    return any(_finance(person, obj) if role == roles.FINANCE else acts_for(person, role, obj)
               for role in scoped_roles)
