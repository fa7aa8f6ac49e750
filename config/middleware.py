"""When the database is unreachable, answer 503 with words a person can act on, not a traceback."""

import logging

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
