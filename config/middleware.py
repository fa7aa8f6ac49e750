"""Answers before a view runs: a 400 for text no one can type, a 503 when the database is unreachable."""

import logging

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

from config.errors import for_api, without_request

log = logging.getLogger(__name__)
MESSAGE = "The training hub cannot reach its database just now. Nothing you sent was saved: try again in a minute."


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
        if for_api(request):
            response = JsonResponse({"detail": MESSAGE}, status=503)
        else:
            response = without_request("errors/503.html", 503, message=MESSAGE)
        response["Retry-After"] = "60"
        return response


def _has_nul(values) -> bool:
    return any("\x00" in value for _, items in values.lists() for value in items if isinstance(value, str))


class RefuseNulMiddleware:
    """PostgreSQL can neither store nor compare text with a NUL character (0x00), and no form needs one:
    a query or form carrying one is a 400 ("a problem with that request") before any view reads it.
    JSON bodies are the API's serializers' to refuse (DRF's CharField does)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("A NUL character in the query or form.")
        return self.get_response(request)
