from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from notifications.services import queue_rendered_email
from people import roles
from people.services import set_roles

# A work address is needed: bookings, charges and invoices follow the employing agency.
PERSONAL_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "live.co.uk",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "btinternet.com",
        "sky.com",
        "virginmedia.com",
        "protonmail.com",
        "proton.me",
        "gmx.com",
        "mail.com",
    }
)


class HubAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).lower()
        domain = email.rsplit("@", 1)[-1]
        if domain in PERSONAL_MAIL_DOMAINS:
            raise forms.ValidationError(
                "Use your work email address, not a personal one: your agency is told about your bookings."
            )
        return email

    def send_mail(self, template_prefix, email, context):
        """Verification and password emails go through the outbox too: a mail failure delays them only."""

        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        queue_rendered_email(to=email, subject=message.subject, text=message.body, html=html,
                             kind=f"account:{template_prefix.rsplit('/', 1)[-1]}")

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            set_roles(user, [roles.PRACTITIONER])
        return user
