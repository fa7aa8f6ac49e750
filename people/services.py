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
from people.selectors import agency_partnerships


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


def settle_role_grants(person: Person, *, from_grants: bool) -> None:
    """After the admin changes a person's roles or grants, make the two agree.

    `from_grants` (a network's admin, where the scoped roles are given per partnership): a scoped role is held
    exactly where it is granted. Otherwise (a hub of one, where the roles are ticked): a grant for a role no longer
    ticked goes, and a scoped role ticked is held for the first partnership."""
    ensure_role_groups()
    granted = set(RoleGrant.objects.filter(person=person).values_list("role", flat=True))
    if from_grants:
        person.groups.remove(*Group.objects.filter(name__in=set(roles.SCOPED) - granted))
        person.groups.add(*Group.objects.filter(name__in=granted))
    else:
        held = set(person.groups.values_list("name", flat=True))
        RoleGrant.objects.filter(person=person).exclude(role__in=held).delete()
        for role in (held & set(roles.SCOPED)) - granted:
            RoleGrant.objects.create(person=person, role=role, partnership=default_partnership())
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


def get_or_create_agency(code: str, *, name: str | None = None, kind: str = Agency.Kind.OTHER,
                         partnership: Partnership | None = None) -> Agency:
    """The agency with this code; an unknown code is made, with the code as its name, a member of `partnership`
    (default: the first). Raises Invalid for a code with no letter or digit."""
    code = slugify(code)[:40]
    if not code:
        raise Invalid("An agency code needs at least one letter or digit.", field="agency")
    agency, made = Agency.objects.get_or_create(code=code, defaults={"name": name or code, "kind": kind})
    if made:
        agency.partnerships.add(partnership or default_partnership())
    return agency


def create_agency(
    *, code: str, name: str, kind: str, billing_contact_name: str = "", billing_email: str = "",
    email_domains: str = "", partnerships: list[Partnership] | None = None,
) -> Agency:
    """Add a partner agency (business unit), a member of `partnerships` (default: the first). Raises Invalid
    for a duplicate code, an unknown kind or a malformed email domain."""
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
    agency.partnerships.set(partnerships or [default_partnership()])
    return agency


def add_partnership(slug: str, *, name: str, contact_email: str = "", website: str = "") -> Partnership:
    """A new partnership on the hub (operations: `manage.py add_partnership`). The slug goes in addresses
    (/p/{slug}/), so it is lower-case letters, digits and hyphens. Raises Invalid for a taken or malformed slug,
    a name that is not plain text, a malformed contact address or website."""
    if not isinstance(slug, str) or not slug or len(slug) > 40 or slug != slugify(slug):
        raise Invalid(f"{_shown(slug)} cannot be a partnership's short name: use lower-case letters, digits and "
                      "hyphens, at most 40, such as warrington.", field="slug")
    if Partnership.objects.filter(slug=slug).exists():
        raise Invalid(f"There is already a partnership called {slug}.", field="slug")
    name = name.strip()
    problem = text.check_name(name, label="The partnership's name") if name else "Enter the partnership's name"
    problem = problem or text.too_long(name, 200, "The partnership's name")
    if problem:
        raise Invalid(problem + ".", field="name")
    contact_email = contact_email.strip()
    if contact_email and (not text.is_email_address(contact_email) or text.CONTROL.search(contact_email)
                          or len(contact_email) > 254):
        raise Invalid(f"{_shown(contact_email)} is not an email address: write it like "
                      "safeguarding@warrington.gov.uk.", field="contact_email")
    website = website.strip()
    problem = (text.check_web_address(website) or text.too_long(website, 300, "The website")) if website else None
    if problem:
        raise Invalid(problem.rstrip(".") + ".", field="website")
    default_partnership()  # the settings' partnership stays the first: it holds everything that names none
    return Partnership.objects.create(slug=slug, name=name, contact_email=contact_email, website=website)


def _shown(value: str) -> str:
    """A value quoted in an error message: at most 40 characters, control characters escaped."""
    value = str(value)
    return repr(value[:40] + ("..." if len(value) > 40 else ""))


def join_partnership(agency: Agency, partnership: Partnership) -> None:
    """Make the agency a member of `partnership` too. An agency in none counted as a member of the default
    partnership; it stays one."""
    if agency.partnerships.filter(pk=partnership.pk).exists():
        return
    if not agency.partnerships.exists():
        agency.partnerships.add(default_partnership())
    agency.partnerships.add(partnership)


def check_home_partnership(agency: Agency | None, partnership: Partnership) -> None:
    """A home partnership is one of the person's agency's partnerships. Raises Invalid naming the choices."""
    if agency is None:
        return
    choices = agency_partnerships(agency)
    if partnership.pk not in {p.pk for p in choices}:
        raise Invalid(f"{agency.name} does not work with {partnership.name}: choose "
                      f"{' or '.join(p.name for p in choices)}.", field="home_partnership")


def choose_home_partnership(person: Person, partnership: Partnership) -> None:
    """The person's home partnership (account page, sign-up): one of their agency's. Raises Invalid."""
    check_home_partnership(person.agency, partnership)
    person.home_partnership = partnership
    person.save(update_fields=["home_partnership"])


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
    partnership: Partnership | None = None,
    home: Partnership | None = None,
) -> Person:
    """Create or update a person whose email is already verified (operations, scripts, demo data).

    The scoped roles are held for `partnership` (default: the first). `home` becomes their home partnership, and
    their agency joins it when not a member yet; without it, a home their agency is not in moves to the agency's
    first partnership. Raises Invalid for a name or job title that is not plain text (lib.text.check_name)."""
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
    _settle_home(person, agency, home)
    person.save()
    EmailAddress.objects.update_or_create(user=person, email=email, defaults={"verified": True, "primary": True})
    set_roles(person, role_names, partnership=partnership)
    return person


def _settle_home(person: Person, agency: Agency, home: Partnership | None) -> None:
    """The home partnership add_person leaves: `home` (the agency joining it), else the person's own while their
    agency is in it, else the agency's first. A hub of one leaves it empty (the default)."""
    if home is not None:
        join_partnership(agency, home)
        person.home_partnership = home
        return
    choices = agency_partnerships(agency)
    current = person.home_partnership_id or default_partnership().pk
    if current not in {p.pk for p in choices}:
        person.home_partnership = choices[0]
