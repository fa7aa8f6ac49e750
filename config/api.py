"""API plumbing shared by every app: pagination and one error shape.

Every error body is JSON with a `detail` a person can read; validation errors add
`errors` (field -> messages). Domain errors from services map to their status.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.middleware import MESSAGE, log
from lib.errors import DomainError


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _flatten(errors) -> str:
    if isinstance(errors, dict):
        parts = []
        for field, value in errors.items():
            text = _flatten(value)
            parts.append(text if field in ("non_field_errors", "detail") else f"{field}: {text}")
        return " ".join(parts)
    if isinstance(errors, list):
        return " ".join(_flatten(item) for item in errors)
    return str(errors)


def exception_handler(exc, context):
    if isinstance(exc, (OperationalError, InterfaceError)):
        log.error("Database unavailable: %s", exc)
        return Response({"detail": MESSAGE}, status=503, headers={"Retry-After": "60"})
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.field:
            body["errors"] = {exc.field: [exc.message]}
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found, or not visible to you.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": _flatten(errors) or "Invalid input.", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response
