import re
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lib.text import PlainName

# The hub's partnerships change rarely, and pages ask about them many times (which is the first, whether there
# are several): inside `partnerships_read_once` (every request, config.middleware) each answer is read once and
# remembered until the block ends, or until a partnership is saved or deleted. Outside it (tasks, commands,
# tests calling services) every question reads the database.
_remembered: ContextVar[dict | None] = ContextVar("hub_partnerships_remembered", default=None)


@contextmanager
def partnerships_read_once():
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def remembered(key: str, read: Callable):
    """`read()`, or inside partnerships_read_once the answer it gave the first time it was asked for `key`."""
    memo = _remembered.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def remember(key: str, value) -> None:
    """Inside partnerships_read_once, keep an answer read in another statement (the person's, people.backends)."""
    memo = _remembered.get()
    if memo is not None:
        memo[key] = value


def _forget_partnerships() -> None:
    memo = _remembered.get()
    if memo is not None:
        memo.clear()


def default_partnership_pk() -> int:
    """The first partnership: existing data's, and new data's when nobody names one (a hub of one)."""
    from people.partnerships import default_partnership

    return default_partnership().pk


class BelongsToPartnership:
    """For models with a `partnership` foreign key: saved naming none, they belong to the first partnership.

    Filled at save, not as the field's default, so that building an unsaved instance (a blank form) asks nothing
    of the database."""

    def save(self, *args, **kwargs):
        if self.partnership_id is None:
            self.partnership_id = default_partnership_pk()
        super().save(*args, **kwargs)


class Partnership(models.Model):
    """A safeguarding partnership running its own programme on the hub (Halton, Warrington, ...).

    A hub of one partnership (the embedded default, every existing install) has exactly one row, made from
    PARTNERSHIP_SLUG and PARTNERSHIP_NAME; the first row is the default for data that names none.
    """

    slug = models.SlugField(max_length=40, unique=True, help_text="Short name in addresses, e.g. warrington")
    name = models.CharField(max_length=200, validators=[PlainName("The partnership's name")])
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True, max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        _forget_partnerships()  # the first partnership, or the number of them, may change
        super().save(*args, **kwargs)
        _forget_partnerships()

    def delete(self, *args, **kwargs):
        _forget_partnerships()
        result = super().delete(*args, **kwargs)
        _forget_partnerships()
        return result


class Agency(models.Model):
    class Kind(models.TextChoices):
        STATUTORY_PARTNER = "statutory_partner", "Statutory safeguarding partner"
        RELEVANT_AGENCY = "relevant_agency", "Relevant agency"
        SCHOOL = "school", "School or college"
        VOLUNTARY = "voluntary", "Voluntary, community or faith sector"
        OTHER = "other", "Other"

    code = models.SlugField(max_length=40, unique=True, help_text="Short code, e.g. halton-bc")
    name = models.CharField(max_length=200, validators=[PlainName("The agency's name")])
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    billing_contact_name = models.CharField(max_length=200, blank=True, validators=[PlainName("The billing contact")])
    billing_email = models.EmailField(blank=True)
    stripe_customer_id = models.CharField(max_length=100, blank=True, editable=False)
    email_domains = models.CharField(
        max_length=500,
        blank=True,
        help_text="Work email domains, separated by spaces, such as halton.gov.uk. Whoever signs up for this agency "
        "must use an address at one of them (or a subdomain). Leave empty to accept any work address.",
    )
    requires_line_manager_approval = models.BooleanField(
        default=False, help_text="Bookings by this agency's staff wait for their line manager's approval."
    )
    partnerships = models.ManyToManyField(Partnership, blank=True, related_name="agencies",
                                          help_text="The partnerships whose area the agency serves")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["statutory_partner", "relevant_agency", "school", "voluntary", "other"]),
                name="people_agency_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def domain_list(self) -> list[str]:
        """The agency's work email domains: lower case, without a leading @."""
        return parse_domains(self.email_domains)

    def clean(self) -> None:
        domains = self.domain_list()
        bad = [d for d in domains if not DOMAIN.fullmatch(d)]
        if bad:
            raise ValidationError({"email_domains": f"{', '.join(bad)} is not a domain: write it as halton.gov.uk."})
        from people.mail_domains import is_personal_mail_domain

        personal = [d for d in domains if is_personal_mail_domain(d)]
        if personal:
            raise ValidationError({"email_domains": f"{', '.join(personal)} is a free or disposable mail service, "
                                                    "not the agency's own: list only its work domains."})
        self.email_domains = " ".join(domains)


# Labels of letters, digits and hyphens, the last (the top-level domain) starting with a letter: 1.5 is not one.
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]")


def parse_domains(text: str) -> list[str]:
    """Domains written with spaces, commas or semicolons between them, perhaps with a leading @."""
    return [d.strip("@.") for d in re.split(r"[\s,;]+", text.lower()) if d.strip("@.")]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class Person(AbstractUser):
    """An account: one person, one work email, one agency, some roles (Django groups)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("work email address", unique=True)
    # Names and job titles show in other people's emails and pages: plain text only (lib.text.check_name).
    name = models.CharField(max_length=150, validators=[PlainName("Full name")])
    job_title = models.CharField(max_length=150, blank=True, validators=[PlainName("Job title")])
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people", null=True, blank=True)
    # One of the agency's partnerships; empty means the default one (people.partnerships.home_partnership_id).
    home_partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="home_people",
                                         null=True, blank=True)
    # The secret in the address of the person's own calendar feed; renewing it kills the old address.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    briefings_opt_in = models.BooleanField("send me partnership briefings", default=True)
    # Invites or the personal feed, not both (bookings/invites.py): with this off, new bookings come with no
    # calendar invite, while invites already sent still get their updates and cancellations.
    calendar_invites = models.BooleanField("send calendar invites with my booking emails", default=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = PersonManager()

    class Meta:
        ordering = ["name", "email"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class RoleGrant(models.Model):
    """A role held for one partnership (business_unit, finance, trainer); the role itself is a Django group.

    Practitioner, agency_manager and network_lead are network-wide and have no grants.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="role_grants")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "partnership"], name="people_rolegrant_unique"),
            models.CheckConstraint(condition=Q(role__in=["business_unit", "finance", "trainer"]),
                                   name="people_rolegrant_scoped_role"),
        ]

    def __str__(self) -> str:
        return f"{self.role} for {self.partnership}"
