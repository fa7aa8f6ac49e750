"""Error pages: GOV.UK pages a person can act on, and under /api/ JSON with a `detail`, as the API contract says."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from people.partnerships import masthead_without_database


def for_api(request) -> bool:
    """Whether an error answers in the API's shape (JSON with a `detail`) rather than as a page."""
    return request.path.startswith("/api/")


def without_request(template: str, status: int, **context) -> HttpResponse:
    """A page that must render when the database (and so the signed-in person) may be out of reach."""
    html = loader.get_template(template).render({"partnership_name": settings.PARTNERSHIP_NAME,
                                                 "masthead": masthead_without_database(), **context})
    return HttpResponse(html, status=status)


def _answer(request, status: int, detail: str) -> HttpResponse:
    if for_api(request):
        return JsonResponse({"detail": detail}, status=status)
    return render(request, f"errors/{status}.html", status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _answer(request, 400, "The request could not be understood.")


@requires_csrf_token
def forbidden(request, exception=None):
    return _answer(request, 403, "You do not have permission to perform this action.")


@requires_csrf_token
def not_found(request, exception=None):
    return _answer(request, 404, "Not found.")


def server_error(request):
    if for_api(request):
        return JsonResponse({"detail": "Something went wrong in the training hub. Try again later."}, status=500)
    return without_request("errors/500.html", 500)


def csrf_failure(request, reason=""):
    if for_api(request):
        return JsonResponse({"detail": f"CSRF check failed: {reason}"}, status=403)
    return render(request, "errors/403_csrf.html", status=403)
