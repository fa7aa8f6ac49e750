"""API plumbing shared by every app: pagination and one error shape.

Every error body is JSON with a `detail` a person can read; validation errors add
`errors` (field -> messages). Domain errors from services map to their status.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.http import Http404
from rest_framework import exceptions, mixins, pagination, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.middleware import MESSAGE, log
from lib.errors import DomainError
from lib.params import MAX_ID


class AtomicCreateModelMixin(mixins.CreateModelMixin):
    """DRF's create, in one transaction with building the answer: a create whose answer fails (a header,
    a field that cannot be written out) answers 500 with nothing saved, rather than committing first."""

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().create(request, *args, **kwargs)


def _list_messages(cls, kwargs: dict) -> dict:
    """The list's own messages for a field taken many=True, kept with any the caller gave."""
    mine = {key: cls.default_error_messages[key] for key in ("not_a_list", "empty")}
    return {**kwargs, "error_messages": {**mine, **kwargs.get("error_messages", {})}}


class IdField(serializers.PrimaryKeyRelatedField):
    """An object by its id: a whole number (or its digits as a string), never a fraction, a true/false
    or a number past any id. DRF's own field hands 1.5 to the database, which rounds it to 1."""

    default_error_messages = {**serializers.PrimaryKeyRelatedField.default_error_messages,
                              "incorrect_type": "Enter the id as a whole number, such as 12.",
                              "does_not_exist": "The id {pk_value} does not exist (or is not one you may use): give "
                                                "the id of one that does.",
                              "not_a_list": "Give a list of ids, such as [12, 14].",
                              "empty": "Give at least one id."}

    @classmethod
    def many_init(cls, *args, **kwargs):
        """A list of ids answers a person's words too: "Give a list of ids" for anything but a list (as
        keyword arguments, which DRF keeps when it copies the field for each request)."""
        return super().many_init(*args, **_list_messages(cls, kwargs))

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().isascii() and data.strip().isdecimal():
            data = int(data.strip())
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class CodeField(serializers.SlugRelatedField):
    """An object by its code (an agency's, such as halton-bc), with errors a person can act on: a list, a
    number or text longer than any code is never looked up."""

    default_error_messages = {**serializers.SlugRelatedField.default_error_messages,
                              "does_not_exist": "No {thing} has the code {value}: give the code of one that "
                                                "exists, such as {example}.",
                              "invalid": "Give the {thing}'s code as text, such as {example}.",
                              "not_a_list": "Give a list of codes, such as [\"halton-bc\"].",
                              "empty": "Give at least one code."}

    def __init__(self, *, thing: str = "agency", example: str = "halton-bc", max_length: int = 40, **kwargs):
        self.thing, self.example, self.max_length = thing, example, max_length
        super().__init__(slug_field="code", **kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        return super().many_init(*args, **_list_messages(cls, kwargs))

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            self.fail("invalid")
        if len(data.strip()) > self.max_length:
            self.fail("does_not_exist", value=f"{data.strip()[:20]}... ({len(data):,} characters, longer than any)")
        return super().to_internal_value(data.strip())

    def fail(self, key, **kwargs):
        kwargs.update(thing=self.thing, example=self.example)
        if key == "does_not_exist":
            kwargs["value"] = str(kwargs.get("value", ""))
        return super().fail(key, **kwargs)


def id_number(**kwargs) -> serializers.IntegerField:
    """An id sent as a plain number, within the range ids have (DRF refuses fractions itself)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


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
