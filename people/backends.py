"""Sign-in backends that load the person's agency with the person: most pages and every booking need it."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class _PersonWithAgency:
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("agency").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_PersonWithAgency, DjangoModelBackend):
    """Django's username-and-password backend (the admin's sign-in)."""


class AuthenticationBackend(_PersonWithAgency, AllauthBackend):
    """django-allauth's email sign-in."""
