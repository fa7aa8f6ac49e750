from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from people import mail_domains, roles

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

    def send_mail(self, template_prefix, email, context):
        """Verification and password emails go through the outbox too: a mail failure delays them only."""
        from notifications.services import queue_rendered_email

        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        queue_rendered_email(to=email, subject=message.subject, text=message.body, html=html,
                             kind=f"account:{template_prefix.rsplit('/', 1)[-1]}")

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from people.services import set_roles

            set_roles(user, [roles.PRACTITIONER])
        return user
