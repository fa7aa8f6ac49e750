"""An email backend whose mail server refuses every message (the fault tests' stand-in for SMTP)."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed (mail server refusing)")


class SlowBackend(BaseEmailBackend):
    """A mail server that takes SLOW_MAIL_SECONDS to accept each message, then keeps it (locmem)."""

    def send_messages(self, email_messages):
        import time

        from django.conf import settings
        from django.core.mail.backends.locmem import EmailBackend

        time.sleep(settings.SLOW_MAIL_SECONDS)
        return EmailBackend().send_messages(email_messages)


class HangingBackend(BaseEmailBackend):
    """A mail server that never answers: the sender waits until it is killed."""

    def send_messages(self, email_messages):
        import time

        time.sleep(3600)
