"""Answers before a view runs: a 400 for text no one can type, a 413 for too much, a 503 without a database."""

import json
import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render

from config.errors import for_api, without_request
from lib.text import has_unreadable
from people.models import partnerships_read_once
from people.partnerships import masthead_without_database

log = logging.getLogger(__name__)
MESSAGE = "The training hub cannot reach its database just now. Nothing you sent was saved: try again in a minute."


class PartnershipsReadOnceMiddleware:
    """Which partnership is the first, and whether there are several, are read at most once a request
    (people.models.partnerships_read_once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with partnerships_read_once():
            return self.get_response(request)


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


def _has_unreadable(values) -> bool:
    return any(has_unreadable(key) or any(isinstance(value, str) and has_unreadable(value) for value in items)
               for key, items in values.lists())


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_DEPTH_LIMIT = 32  # no body the hub accepts nests deeper than a handful of levels
_JSON_SPECIAL = re.compile(r'[\[\]{}"\\]')
_JSON_ESCAPE_UNREADABLE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def json_too_deep(text: str, limit: int = JSON_DEPTH_LIMIT) -> bool:
    """Whether JSON `text` nests arrays and objects deeper than `limit`, read in one pass over its
    brackets and quotes (strings skipped) without parsing it: Python's parser would recurse once a level
    and fail with RecursionError long before any serializer saw the body."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string, skip_to = 0, False, -1
    for match in _JSON_SPECIAL.finditer(text):
        at = match.start()
        if at < skip_to:
            continue
        char = text[at]
        if in_string:
            if char == "\\":
                skip_to = at + 2  # the escaped character is not a quote that ends the string
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def json_has_unreadable(text: str) -> bool:
    """Whether a JSON body decodes to text holding a NUL or a lone surrogate (written "\\u0000" or
    "\\ud800"); a pair of surrogates escaped apart ("\\ud83d\\ude00", one emoji) is a character like any other."""
    if not _JSON_ESCAPE_UNREADABLE.search(text):
        return False
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False  # not JSON at all: the parser that reads it says so
    return has_unreadable(json.dumps(data, ensure_ascii=False))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def _refusal(request, status: int, detail: str):
    sent_json = request.method not in ("GET", "HEAD", "OPTIONS") and request.content_type not in FORM_TYPES
    if sent_json or for_api(request) or request.path.startswith("/_allauth/"):
        return JsonResponse({"detail": detail}, status=status)
    template = "errors/413.html" if status == 413 else "errors/400.html"
    # answered before any view, without asking the database (its header included)
    return render(request, template, {"limit": megabytes(settings.UPLOAD_MAX_BYTES),
                                      "masthead": masthead_without_database()}, status=status)


class RefuseUnreadableInputMiddleware:
    """Input no view should see, refused before any view reads it, for every query, form and JSON body:
    - a body over UPLOAD_MAX_BYTES (and a form's fields over DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413;
    - a NUL character (PostgreSQL can neither store nor compare text holding one) or a lone UTF-16
      surrogate (no encoding can write it out: echoed in an error message it would fail the answer) in
      a query, a form or a JSON body is a 400;
    - JSON nested deeper than JSON_DEPTH_LIMIT is a 400, whichever parser would read it (DRF's or
      allauth's headless API, which reads every body that is not a form as JSON).
    Forms and queries reach Django as UTF-8 with anything undecodable replaced, so only JSON's escapes
    can carry a surrogate; the check covers every value anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        return refusal or self.get_response(request)

    def refusal(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES + MULTIPART_ALLOWANCE:
            return _refusal(request, 413, TOO_BIG.format(limit=megabytes(settings.UPLOAD_MAX_BYTES)))
        try:
            if _has_unreadable(request.GET):
                return _refusal(request, 400, UNREADABLE_MESSAGE)
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return None
            if request.content_type in FORM_TYPES:
                if _has_unreadable(request.POST):
                    return _refusal(request, 400, UNREADABLE_MESSAGE)
                return None
            body = request.body
        except RequestDataTooBig:
            return _refusal(request, 413, TOO_BIG.format(limit=megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)))
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None  # not text: whoever reads the body refuses it (the JSON parsers say it is not UTF-8)
        if json_too_deep(text):
            return _refusal(request, 400, f"The JSON is nested more than {JSON_DEPTH_LIMIT} levels deep.")
        if json_has_unreadable(text):
            return _refusal(request, 400, UNREADABLE_MESSAGE)
        return None


MULTIPART_ALLOWANCE = 64 * 1024  # a form's other fields and the multipart boundaries around one file
TOO_BIG = "What you sent is too big: the limit is {limit}. Nothing was saved."
UNREADABLE_MESSAGE = ("The request holds a character no one can type (a NUL or a lone surrogate, such as "
                      "\\u0000 or \\ud800). Nothing was saved.")
