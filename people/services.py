"""Writes about people and agencies."""

import re

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from lib import text
from lib.errors import Invalid
from people import roles
from people.models import Agency, Partnership, Person, RoleGrant, new_calendar_token
from people.partnerships import default_partnership


def ensure_role_groups() -> None:
    for name in roles.ALL:
        Group.objects.get_or_create(name=name)


def forget_roles(person: Person) -> None:
    """Drop the roles and grants cached on the instance (people.permissions, people.partnerships)."""
    person.__dict__.pop("_hub_roles", None)
    person.__dict__.pop("_hub_grants", None)


def set_roles(person: Person, role_names: list[str], *, partnership: Partnership | None = None) -> None:
    """Give `person` exactly these roles; the scoped ones (business_unit, finance, trainer) for `partnership`
    (default: the first), beside any partnerships they already hold them for. Raises Invalid for an unknown role."""
    unknown = sorted(set(role_names) - set(roles.ALL))
    if unknown:
        raise Invalid(f"Unknown role {', '.join(unknown)}: choose from {', '.join(roles.ALL)}.", field="roles")
    ensure_role_groups()
    person.groups.set(Group.objects.filter(name__in=role_names))
    RoleGrant.objects.filter(person=person).exclude(role__in=role_names).delete()
    partnership = partnership or default_partnership()
    for role in set(role_names) & set(roles.SCOPED):
        RoleGrant.objects.get_or_create(person=person, role=role, partnership=partnership)
    person.is_staff = roles.BUSINESS_UNIT in role_names or person.is_superuser
    person.save(update_fields=["is_staff"])
    forget_roles(person)


def grant_role(person: Person, role: str, *, partnership: Partnership | None = None) -> None:
    """Add one role to a person's others (e.g. trainer, when they join a pool), a scoped one for `partnership`
    (default: the first)."""
    ensure_role_groups()
    person.groups.add(Group.objects.get(name=role))
    if role in roles.SCOPED:
        RoleGrant.objects.get_or_create(person=person, role=role, partnership=partnership or default_partnership())
    forget_roles(person)


def renew_calendar_token(person: Person) -> str:
    """A new secret address for the person's calendar feed; the old one stops working at once."""
    person.calendar_token = new_calendar_token()
    person.save(update_fields=["calendar_token"])
    return person.calendar_token


def choose_calendar_invites(person: Person, *, invites: bool) -> None:
    """Calendar invites by email, or the personal feed alone. Turned off, new bookings come with no invite;
    invites already sent still get their updates and cancellations, so no calendar keeps a stale place."""
    person.calendar_invites = invites
    person.save(update_fields=["calendar_invites"])


def get_or_create_agency(code: str, *, name: str | None = None, kind: str = Agency.Kind.OTHER) -> Agency:
    code = slugify(code)[:40]
    if not code:
        raise Invalid("An agency code needs at least one letter or digit.", field="agency")
    agency, _ = Agency.objects.get_or_create(code=code, defaults={"name": name or code, "kind": kind})
    return agency


def create_agency(
    *, code: str, name: str, kind: str, billing_contact_name: str = "", billing_email: str = "",
    email_domains: str = "",
) -> Agency:
    """Add a partner agency (business unit). Raises Invalid for a duplicate code, an unknown kind or a
    malformed email domain."""
    if kind not in Agency.Kind.values:
        raise Invalid(f"Unknown agency kind {kind!r}: choose from {', '.join(Agency.Kind.values)}.", field="kind")
    if Agency.objects.filter(code=code).exists():
        raise Invalid(f"An agency with code {code!r} already exists.", field="code")
    for field, value, label in (("name", name, "The agency's name"),
                                ("billing_contact_name", billing_contact_name, "The billing contact")):
        problem = text.check_name(value, label=label)
        if problem:
            raise Invalid(problem, field=field)
    agency = Agency(code=code, name=name, kind=kind, billing_contact_name=billing_contact_name,
                    billing_email=billing_email, email_domains=email_domains)
    try:
        agency.clean()
    except ValidationError as exc:
        raise Invalid(exc.message_dict["email_domains"][0], field="email_domains") from exc
    agency.save()
    return agency


def check_work_email(agency: Agency, email: str) -> None:
    """Someone signing up for an agency that lists its email domains must use one of them (or a subdomain):
    the agency is told about their bookings and pays their charges. Raises Invalid on the email."""
    domains = agency.domain_list()
    if not in_agency_domains(agency, email):
        raise Invalid(
            f"{agency.name} staff sign up with an address at {' or '.join(domains)}. Choose the agency you work "
            "for, or ask the business unit to add your address's domain to your agency.",
            field="email",
        )


def in_agency_domains(agency: Agency, email: str) -> bool:
    """Whether the address is at one of the agency's email domains (or a subdomain); True when it lists none."""
    domains = agency.domain_list()
    domain = email.rsplit("@", 1)[-1].lower()
    return not domains or any(domain == d or domain.endswith("." + d) for d in domains)


def is_personal_address(email: str) -> bool:
    """An address at a free or personal mail provider (or a subdomain of one), which is nobody's work address."""
    from people.mail_domains import is_personal_mail_domain

    return is_personal_mail_domain(email.rsplit("@", 1)[-1])


def plain_address(typed: str) -> str:
    """An address as one plain, comparable string, however it was typed: surrounding spaces and a display
    name dropped ("Priya Shah <priya@x.gov.uk>"), a quoted local part unquoted ("\\"priya\\"@x.gov.uk"),
    lower case, and no trailing dot on the domain (x.gov.uk. is x.gov.uk)."""
    from email.utils import parseaddr

    typed = (typed or "").strip()
    if "<" in typed or ">" in typed:
        typed = parseaddr(typed)[1] or typed
    local, _, domain = typed.rpartition("@")
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    return f"{local.strip().lower()}@{domain.strip().lower().rstrip('.')}" if local else typed.lower()


def same_mailbox(one: str, other: str) -> bool:
    """Whether two addresses reach the same person's mailbox, however either was typed (plain_address):
    case, quotes, a display name, a trailing dot and a "+tag" after the name make no difference
    (boss+hub@x.gov.uk is boss@x.gov.uk)."""
    def mailbox(email: str) -> tuple[str, str]:
        name, _, domain = plain_address(email).rpartition("@")
        return name.split("+", 1)[0], domain

    return mailbox(one) == mailbox(other)


@transaction.atomic
def add_person(
    email: str,
    *,
    agency: Agency,
    role_names: list[str],
    password: str | None,
    name: str = "",
    job_title: str = "",
) -> Person:
    """Create or update a person whose email is already verified (operations, scripts, demo data).
    Raises Invalid for a name or job title that is not plain text (lib.text.check_name)."""
    from allauth.account.models import EmailAddress

    for field, value, label in (("name", name, "Full name"), ("job_title", job_title, "Job title")):
        problem = text.check_name(value, label=label)
        if problem:
            raise Invalid(problem, field=field)

    email = email.strip().lower()
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = Person.objects.create_user(email, password, name=name or email.split("@")[0], agency=agency)
    else:
        person.agency = agency
        if name:
            person.name = name
        if password:
            person.set_password(password)
    if job_title:
        person.job_title = job_title
    person.save()
    EmailAddress.objects.update_or_create(user=person, email=email, defaults={"verified": True, "primary": True})
    set_roles(person, role_names)
    return person
