from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from lib.errors import DomainError
from people.forms import HomePartnershipForm
from people.partnerships import is_network
from people.selectors import agency_partnerships, home_partnership_of
from people.services import choose_home_partnership
from privacy.services import export_personal_data


@login_required
def my_data(request):
    """Everything the hub holds about the signed-in person (UK GDPR right of access), as JSON."""

    response = JsonResponse(export_personal_data(request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-training-hub-data.json"'
    return response


@login_required
def my_account(request):
    context = {"person": request.user, "retention_years": settings.RETENTION_YEARS}
    if is_network():  # a hub of one shows no partnership: it has only the one
        context["home_partnership"] = home_partnership_of(request.user)
        context["can_change_home"] = len(_home_choices(request.user)) > 1
    return render(request, "people/my_account.html", context)


def _home_choices(person) -> list:
    return agency_partnerships(person.agency) if person.agency_id else []


@login_required
def home_partnership(request):
    """The person changes their home partnership, among their agency's (on a network, when there is a choice)."""
    choices = _home_choices(request.user)
    if not is_network() or len(choices) < 2:
        raise Http404("There is no home partnership to choose here.")
    form = HomePartnershipForm(request.POST or None, choices=choices,
                               initial={"home_partnership": home_partnership_of(request.user).slug})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["home_partnership"]
        try:
            choose_home_partnership(request.user, chosen)
        except DomainError as exc:
            form.add_error("home_partnership", exc.message)
        else:
            messages.success(request, f"Your home partnership is now {chosen.name}.")
            return redirect("my_account")
    return render(request, "people/home_partnership.html", {"form": form})


@login_required
def agency_home(request):
    """An agency manager's pages in one place (the header has one item for them): their staff's places,
    completions, charges and the analysis."""
    from people.permissions import require

    require(request.user, "view_agency_bookings")
    return render(request, "people/agency_home.html", {"agency": request.user.agency})


# The accessibility statement was last reviewed on this day; change it with each review.
ACCESSIBILITY_REVIEWED = date(2026, 11, 23)


def _statement(request, template: str, **context):
    return render(request, template, {"contact_email": settings.CONTACT_EMAIL, **context})


def accessibility(request):
    """The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 ask for."""
    return _statement(request, "people/accessibility.html", reviewed=ACCESSIBILITY_REVIEWED)


def privacy(request):
    """What the hub holds about people, why, who sees it and for how long (UK GDPR Articles 13 and 14)."""
    return _statement(request, "people/privacy.html", retention_years=settings.RETENTION_YEARS)


def cookies(request):
    """The cookies the hub sets: all strictly necessary, so none needs consent (PECR regulation 6)."""
    from django.contrib.messages.storage.cookie import CookieStorage  # Django's messages, when they go by cookie

    days = round(settings.SESSION_COOKIE_AGE / 86400)
    rows = [
        (settings.SESSION_COOKIE_NAME, "Keeps you signed in as you move between pages",
         f"{days} days, or until you sign out"),
        (settings.CSRF_COOKIE_NAME, "Stops other websites sending forms in your name (security)",
         f"{round(settings.CSRF_COOKIE_AGE / 86400 / 365.25)} year"),
        (CookieStorage.cookie_name, "Carries a one-off message, such as \u201cYou are booked\u201d, to the next page",
         "Until you close your browser"),
    ]
    return _statement(request, "people/cookies.html", rows=rows)
