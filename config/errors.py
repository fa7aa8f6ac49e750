"""Error pages: GOV.UK pages a person can act on, and under /api/ JSON with a `detail`, as the API contract says."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def _for_api(request) -> bool:
    return request.path.startswith("/api/")


def without_request(template: str, status: int, **context) -> HttpResponse:
    """A page that must render when the database (and so the signed-in person) may be out of reach."""
    html = loader.get_template(template).render({"partnership_name": settings.PARTNERSHIP_NAME, **context})
    return HttpResponse(html, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    if _for_api(request):
        return JsonResponse({"detail": "The request could not be understood."}, status=400)
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def forbidden(request, exception=None):
    if _for_api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def not_found(request, exception=None):
    if _for_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if _for_api(request):
        return JsonResponse({"detail": "Something went wrong in the training hub. Try again later."}, status=500)
    return without_request("errors/500.html", 500)


def csrf_failure(request, reason=""):
    if _for_api(request):
        return JsonResponse({"detail": f"CSRF check failed: {reason}"}, status=403)
    return render(request, "errors/403_csrf.html", status=403)
