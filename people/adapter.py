import logging

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from notifications.services import queue_rendered_email
from people import mail_domains, roles
from people.services import set_roles
from people.sites import current_site

log = logging.getLogger(__name__)

# A work address is needed: bookings, charges and invoices follow the employing agency.
PERSONAL_MAIL_DOMAINS = mail_domains.PERSONAL_MAIL_DOMAINS


class HubAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).lower()
        domain = email.rsplit("@", 1)[-1]
        if mail_domains.is_personal_mail_domain(domain):
            raise forms.ValidationError(
                "Use your work email address, not a personal one: your agency is told about your bookings."
            )
        return email

    def get_client_ip(self, request) -> str:
        """The person's address for the sign-in limits. A request that did not pass through all
        ALLAUTH_TRUSTED_PROXY_COUNT proxies (fewer X-Forwarded-For entries) is counted by its peer's
        address, which it cannot forge, instead of failing."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            log.warning("X-Forwarded-For has fewer entries than ALLAUTH_TRUSTED_PROXY_COUNT: using the peer address")
            if not request.META.get("REMOTE_ADDR"):
                raise PermissionDenied("Unable to determine client IP address") from None
            return request.META["REMOTE_ADDR"]

    def send_mail(self, template_prefix, email, context):
        """Verification and password emails go through the outbox too: a mail failure delays them only."""

        # The partnership's name and address, which allauth's words read from `current_site`.
        context = {"email": email, **context, "current_site": current_site()}
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        queue_rendered_email(to=email, subject=message.subject, text=message.body, html=html,
                             kind=f"account:{template_prefix.rsplit('/', 1)[-1]}")

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            set_roles(user, [roles.PRACTITIONER])
        return user
