"""Sign-in backends that load the person's agency with the person: most pages and every booking need it; and, in
the same statement, how many partnerships the hub holds (`partnerships_on_hub`), which every page's header asks:
the request remembers the answer (people.partnerships.is_network), so the header costs no query."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Count, IntegerField, Subquery, Value

from people.models import Partnership, remember
from people.partnerships import NETWORK

# (SELECT COUNT(id) FROM people_partnership): grouped by a constant, one row counting them all
PARTNERSHIPS_ON_HUB = Subquery(Partnership.objects.order_by().annotate(all=Value(1)).values("all")
                               .annotate(n=Count("pk")).values("n"), output_field=IntegerField())


class _PersonWithAgency:
    def get_user(self, user_id):
        user = (get_user_model()._default_manager.select_related("agency")
                .annotate(partnerships_on_hub=PARTNERSHIPS_ON_HUB).filter(pk=user_id).first())
        if user is not None:
            remember(NETWORK, user.partnerships_on_hub > 1)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_PersonWithAgency, DjangoModelBackend):
    """Django's username-and-password backend (the admin's sign-in)."""


class AuthenticationBackend(_PersonWithAgency, AllauthBackend):
    """django-allauth's email sign-in."""
